import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, rocCurve } from '../src';
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
