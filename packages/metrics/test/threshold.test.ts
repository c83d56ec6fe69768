import { describe, expect, it } from 'vitest';
import { accuracy, balancedAccuracy, bestThreshold, confusionMatrix, rocCurve } from '../src';
import { countAt, tiedSample } from './reference';

// Same data as ranking.test.ts: labels 1 1 0 1 0 0 1 0, scores 0.9 0.7 0.7 0.5 0.5 0.5 0.2 0.1.
const labels = [1, 1, 0, 1, 0, 0, 1, 0];
const scores = [0.9, 0.7, 0.7, 0.5, 0.5, 0.5, 0.2, 0.1];

describe('confusionMatrix', () => {
  it('predicts fake when score >= threshold (default 0.5)', () => {
    // >= 0.5: 0.9(1) 0.7(1) 0.7(0) 0.5(1) 0.5(0) 0.5(0) → tp 3, fp 3; below: 0.2(1) fn, 0.1(0) tn.
    expect(confusionMatrix(labels, scores)).toEqual({ tp: 3, fp: 3, tn: 1, fn: 1 });
  });

  it('uses the threshold given', () => {
    // >= 0.6: 0.9(1) 0.7(1) 0.7(0) → tp 2, fp 1; below: fakes 0.5, 0.2 → fn 2; reals 0.5, 0.5, 0.1 → tn 3.
    expect(confusionMatrix(labels, scores, 0.6)).toEqual({ tp: 2, fp: 1, tn: 3, fn: 2 });
    expect(confusionMatrix(labels, scores, Number.POSITIVE_INFINITY)).toEqual({ tp: 0, fp: 0, tn: 4, fn: 4 });
    expect(confusionMatrix(labels, scores, Number.NEGATIVE_INFINITY)).toEqual({ tp: 4, fp: 4, tn: 0, fn: 0 });
  });

  it('reproduces every ROC point at the ROC thresholds', () => {
    const { labels: l, scores: s } = tiedSample(800, 11, 2);
    const roc = rocCurve(l, s);
    for (let k = 0; k < roc.thresholds.length; k++) {
      const cm = confusionMatrix(l, s, roc.thresholds[k]!);
      expect(cm.fp / (cm.fp + cm.tn)).toBe(roc.fpr[k]);
      expect(cm.tp / (cm.tp + cm.fn)).toBe(roc.tpr[k]);
    }
  });

  it('matches a plain loop on random data', () => {
    const { labels: l, scores: s } = tiedSample(1000, 12, 2);
    const c = countAt(l, s, 0.5);
    expect(confusionMatrix(l, s)).toEqual({ tp: c.tp, fp: c.fp, tn: c.n - c.fp, fn: c.p - c.tp });
  });
});

describe('accuracy', () => {
  it('hand-computed at the default threshold and at 0.6', () => {
    expect(accuracy(labels, scores)).toBe(4 / 8);
    expect(accuracy(labels, scores, 0.6)).toBe(5 / 8);
  });

  it('works on single-class input', () => {
    expect(accuracy([1, 1, 1], [0.9, 0.2, 0.6])).toBe(2 / 3);
    expect(accuracy([0, 0], [0.1, 0.2])).toBe(1);
    expect(confusionMatrix([0, 0], [0.1, 0.7])).toEqual({ tp: 0, fp: 1, tn: 1, fn: 0 });
  });

  it('accepts boolean labels', () => {
    expect(accuracy([true, false, true], [0.9, 0.1, 0.2])).toBe(2 / 3);
  });
});

describe('balancedAccuracy and bestThreshold', () => {
  it('balancedAccuracy is the mean of the two recalls (hand-computed), 0.5 for a constant answer', () => {
    // At 0.5: fakes 0.9 0.7 0.5 found, 0.2 missed → recall 3/4; reals 0.1 kept, 0.7 0.5 0.5 missed → 1/4.
    expect(balancedAccuracy(labels, scores)).toBe(0.5);
    // At 0.6: fakes 0.9 0.7 → 2/4; reals 0.5 0.5 0.1 → 3/4.
    expect(balancedAccuracy(labels, scores, 0.6)).toBe(0.625);
    // "Fake" for everything on a 3:1 split: accuracy 0.75, balanced accuracy 0.5.
    expect(accuracy([1, 1, 1, 0], [1, 1, 1, 1])).toBe(0.75);
    expect(balancedAccuracy([1, 1, 1, 0], [1, 1, 1, 1])).toBe(0.5);
    // One class: its recall.
    expect(balancedAccuracy([1, 1], [0.9, 0.1])).toBe(0.5);
  });

  it("bestThreshold('balancedAccuracy') maximises TPR − FPR between validation scores, and breaks ties high", () => {
    // Sweep from the top: ≥0.9 J = 1/4; ≥0.7 J = 2/4 − 1/4; ≥0.5 J = 3/4 − 3/4; ≥0.2 J = 1 − 3/4; ≥0.1 J = 0.
    // Best J = 1/4, first reached at ≥ 0.9 → threshold half-way to the next score 0.7.
    expect(bestThreshold(labels, scores, 'balancedAccuracy')).toBe(0.8);
    expect(bestThreshold([0, 0, 1, 1], [0.6, 0.7, 0.8, 0.9], 'balancedAccuracy')).toBe(0.75);
    // Anti-correlated scores: nothing beats "real" for everything.
    expect(bestThreshold([0, 1], [0.9, 0.1], 'balancedAccuracy')).toBe(Number.POSITIVE_INFINITY);
  });

  it("bestThreshold('accuracy') counts the class shares: on 3 fakes to 1 real it may call everything fake", () => {
    // Perfectly separated below 0.5 (where 0.5 answers "fake" for everything): between 0.3 and 0.2.
    const t = bestThreshold([1, 1, 1, 0, 0], [0.4, 0.35, 0.3, 0.2, 0.1]);
    expect(t).toBe(0.25);
    expect(accuracy([1, 1, 1, 0, 0], [0.4, 0.35, 0.3, 0.2, 0.1], t)).toBe(1);
    // Scores 0.9(1) 0.8(0) 0.7(1) 0.6(1): accuracy ≥0.9 2/4, ≥0.8 1/4, ≥0.7 2/4, ≥0.6 3/4 → everything fake;
    // balanced accuracy prefers ≥ 0.9 (J = 1/3) over everything fake (J = 0).
    expect(bestThreshold([1, 0, 1, 1], [0.9, 0.8, 0.7, 0.6])).toBe(0.6);
    expect(bestThreshold([1, 0, 1, 1], [0.9, 0.8, 0.7, 0.6], 'balancedAccuracy')).toBeCloseTo(0.85, 12);
    expect(() => bestThreshold([1, 1], [0.2, 0.3])).toThrow(/must contain both classes/);
    expect(() => bestThreshold([1, 0], [0.2, 0.3], 'f1' as never)).toThrow(
      /'criterion' passed to 'bestThreshold'/,
    );
  });
});
