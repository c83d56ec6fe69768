import { type BinaryCurve, rankingCurve } from './binary_curve';
import type { Labels, Scores } from './types';

/**
 * Trapezoidal area under the ROC steps. Summing integer counts and dividing once at the end keeps the
 * result exact up to the final division (every partial sum stays below 2^53 for n ≤ 10^7).
 */
export function aucFromCurve(curve: BinaryCurve): number {
  const { tps, fps } = curve;
  let twiceArea = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < tps.length; k++) {
    const tp = tps[k]!;
    const fp = fps[k]!;
    twiceArea += (fp - prevFp) * (tp + prevTp);
    prevTp = tp;
    prevFp = fp;
  }
  return twiceArea / (2 * curve.positives * curve.negatives);
}

/**
 * Area under the ROC curve, equal to the Mann–Whitney statistic: the probability that a random fake scores
 * higher than a random real, with ties counted as one half,
 * `AUC = (#{fake > real} + ½·#{fake = real}) / (P·N)` over all fake/real pairs.
 * O(n log n); 10^6 scores take well under a second.
 *
 * @param labels - 1 = fake, 0 = real; both classes must occur.
 * @param scores - probability of fake (any finite score; only the order matters).
 * @returns AUC in [0, 1]: 1 for perfect separation, 0.5 for all-equal scores, 0 when inverted.
 * @throws on a length mismatch, empty input, labels other than 0/1, non-finite scores, or labels of a
 *   single class ("... has no real (label 0) samples ...").
 *
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAuc(labels: Labels, scores: Scores): number {
  return aucFromCurve(rankingCurve(labels, scores, 'rocAuc', 'ROC AUC'));
}
