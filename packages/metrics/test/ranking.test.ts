import { describe, expect, it } from 'vitest';
import { averagePrecision, eer, rocAuc, rocCurve } from '../src';
import { bruteAp, bruteEer, bruteRoc, pairwiseAuc, tiedSample } from './reference';

/*
 * Hand-worked case with ties (P = 4 fakes, N = 4 reals):
 *
 *   label  1    1    0    1    0    0    1    0
 *   score  0.9  0.7  0.7  0.5  0.5  0.5  0.2  0.1
 *
 * Distinct thresholds, highest first, with the samples that have score >= t:
 *   t     TP FP   TPR   FPR   FNR   precision
 *   +inf   0  0   0     0     1     -
 *   0.9    1  0   1/4   0     3/4   1
 *   0.7    2  1   2/4   1/4   2/4   2/3
 *   0.5    3  3   3/4   3/4   1/4   3/6
 *   0.2    4  3   1     3/4   0     4/7
 *   0.1    4  4   1     1     0     4/8
 *
 * AUC (Mann–Whitney, 16 pairs): fake 0.9 beats 4 reals → 4; fake 0.7 beats 0.5, 0.5, 0.1 and ties 0.7 → 3.5;
 * fake 0.5 ties 0.5, 0.5 and beats 0.1 → 2; fake 0.2 beats 0.1 → 1. Total 10.5 / 16 = 0.65625.
 * AP: 1/4·1 + 1/4·2/3 + 1/4·1/2 + 1/4·4/7 + 0·1/2 = 1/4 + 1/6 + 1/8 + 1/7 = 115/168.
 * EER: g = FNR − FPR is 1, 3/4, 1/4, −1/2 at +inf, 0.9, 0.7, 0.5, so the crossing lies between 0.7 and 0.5 with
 * α = (1/4) / (1/4 + 1/2) = 1/3: EER = 1/4 + 1/3·(3/4 − 1/4) = 5/12 (FNR: 1/2 + 1/3·(1/4 − 1/2) = 5/12 too),
 * threshold = 0.7 + 1/3·(0.5 − 0.7) = 0.6333….
 */
const labels = [1, 1, 0, 1, 0, 0, 1, 0];
const scores = [0.9, 0.7, 0.7, 0.5, 0.5, 0.5, 0.2, 0.1];

describe('hand-computed case with ties', () => {
  it('rocAuc counts ties as one half', () => {
    expect(rocAuc(labels, scores)).toBe(10.5 / 16);
  });

  it('rocCurve has one point per distinct score after the +Infinity origin', () => {
    const roc = rocCurve(labels, scores);
    expect(Array.from(roc.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.7, 0.5, 0.2, 0.1]);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.25, 0.75, 0.75, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it('averagePrecision is the step-wise sum', () => {
    expect(averagePrecision(labels, scores)).toBeCloseTo(115 / 168, 14);
  });

  it('eer interpolates between the two ROC points around FPR = FNR', () => {
    const result = eer(labels, scores);
    expect(result.eer).toBeCloseTo(5 / 12, 14);
    expect(result.threshold).toBeCloseTo(0.7 - 0.2 / 3, 14);
  });

  it('the order of the samples does not matter', () => {
    const order = [7, 2, 5, 0, 3, 6, 1, 4];
    const l = order.map((i) => labels[i]!);
    const s = order.map((i) => scores[i]!);
    expect(rocAuc(l, s)).toBe(10.5 / 16);
    expect(averagePrecision(l, s)).toBeCloseTo(115 / 168, 14);
    expect(eer(l, s).eer).toBeCloseTo(5 / 12, 14);
  });
});

describe('degenerate rankings', () => {
  it('all-equal scores: AUC 0.5, EER 0.5 at that score, AP = fraction of fakes, ROC from (0,0) to (1,1)', () => {
    const l = [1, 0, 0, 1, 0];
    const s = [0.3, 0.3, 0.3, 0.3, 0.3];
    expect(rocAuc(l, s)).toBe(0.5);
    // Single segment (0,0) → (1,1): g goes 1 → −1, α = 1/2; the origin's +Infinity gives way to 0.3.
    expect(eer(l, s)).toEqual({ eer: 0.5, threshold: 0.3 });
    // One threshold: recall 1 at precision 2/5.
    expect(averagePrecision(l, s)).toBe(0.4);
    const roc = rocCurve(l, s);
    expect(Array.from(roc.fpr)).toEqual([0, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 1]);
    expect(Array.from(roc.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.3]);
  });

  it('perfect separation: AUC 1, AP 1, EER 0 exactly at the lowest fake score', () => {
    const l = [0, 0, 1, 1];
    const s = [0.1, 0.2, 0.8, 0.9];
    expect(rocAuc(l, s)).toBe(1);
    expect(averagePrecision(l, s)).toBe(1);
    // Point at 0.8 has TPR 1, FPR 0: FNR = FPR = 0 there.
    expect(eer(l, s)).toEqual({ eer: 0, threshold: 0.8 });
  });

  it('inverted separation: AUC 0, EER 1, AP from the late recall', () => {
    const l = [0, 0, 1, 1];
    const s = [0.9, 0.8, 0.2, 0.1];
    expect(rocAuc(l, s)).toBe(0);
    // At 0.8 both reals and no fake are above: FPR = 1, FNR = 1.
    expect(eer(l, s)).toEqual({ eer: 1, threshold: 0.8 });
    // Recall 1/2 at precision 1/3 (threshold 0.2), then 1 at 2/4: 1/6 + 1/4 = 5/12.
    expect(averagePrecision(l, s)).toBeCloseTo(5 / 12, 15);
  });

  it('treats -0 and +0 as the same score', () => {
    expect(rocAuc([1, 0], [-0, 0])).toBe(0.5);
    expect(Array.from(rocCurve([1, 0], [-0, 0]).thresholds)).toEqual([Number.POSITIVE_INFINITY, 0]);
  });

  it('accepts any finite scores, not only probabilities (only the order counts)', () => {
    expect(rocAuc([0, 1, 0, 1], [-3, 7, 2, 1e9])).toBe(1);
  });
});

describe('random inputs with many ties against brute-force references', () => {
  const cases = [
    { n: 2000, seed: 1, decimals: 2 },
    { n: 2000, seed: 2, decimals: 1 },
    { n: 1500, seed: 3, decimals: 3 },
    { n: 501, seed: 4, decimals: 0 },
  ];

  for (const { n, seed, decimals } of cases) {
    const { labels: l, scores: s } = tiedSample(n, seed, decimals);
    const distinct = new Set(s).size;

    it(`n=${n}, ${distinct} distinct scores: rocAuc equals the pairwise Mann–Whitney statistic`, () => {
      expect(distinct).toBeLessThan(n / 2);
      expect(rocAuc(l, s)).toBeCloseTo(pairwiseAuc(l, s), 12);
    });

    it(`n=${n}, ${distinct} distinct scores: rocCurve equals the brute-force threshold loop`, () => {
      const expected = bruteRoc(l, s);
      const roc = rocCurve(l, s);
      expect(Array.from(roc.thresholds)).toEqual(expected.thresholds);
      expect(Array.from(roc.fpr)).toEqual(expected.fpr);
      expect(Array.from(roc.tpr)).toEqual(expected.tpr);
    });

    it(`n=${n}, ${distinct} distinct scores: averagePrecision equals the O(n²) reference`, () => {
      expect(averagePrecision(l, s)).toBeCloseTo(bruteAp(l, s), 12);
    });

    it(`n=${n}, ${distinct} distinct scores: eer equals the ROC/diagonal intersection`, () => {
      const expected = bruteEer(l, s);
      const result = eer(l, s);
      expect(result.eer).toBeCloseTo(expected.eer, 12);
      expect(result.threshold).toBeCloseTo(expected.threshold, 12);
    });
  }

  it('scores without ties (full precision) still match the pairwise reference', () => {
    const { labels: l, scores: s } = tiedSample(1200, 9, 15);
    expect(new Set(s).size).toBeGreaterThan(1100);
    expect(rocAuc(l, s)).toBeCloseTo(pairwiseAuc(l, s), 12);
    expect(averagePrecision(l, s)).toBeCloseTo(bruteAp(l, s), 12);
  });

  it('EER lies between the ROC points that bracket FPR = FNR', () => {
    const { labels: l, scores: s } = tiedSample(2000, 5, 2);
    const roc = bruteRoc(l, s);
    const { eer: value } = eer(l, s);
    const k = roc.fpr.findIndex((fpr, i) => 1 - roc.tpr[i]! - fpr <= 0);
    const lo = Math.min(roc.fpr[k - 1]!, 1 - roc.tpr[k]!);
    const hi = Math.max(roc.fpr[k]!, 1 - roc.tpr[k - 1]!);
    expect(value).toBeGreaterThanOrEqual(lo);
    expect(value).toBeLessThanOrEqual(hi);
  });
});
