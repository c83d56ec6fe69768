import { type BinaryCurve, rankingCurve } from './binary_curve';
import type { EerResult, Labels, Scores } from './types';

/**
 * Walks the ROC points from the origin. g = FNR − FPR starts at 1 at the origin, ends at −1 at (1, 1) and
 * falls strictly at every point (each distinct score adds at least one sample), so it crosses zero once.
 */
export function eerFromCurve(curve: BinaryCurve): EerResult {
  const { tps, fps, thresholds, positives, negatives } = curve;
  let prevFpr = 0;
  let prevGap = 1;
  for (let k = 0; k < thresholds.length; k++) {
    const fpr = fps[k]! / negatives;
    const gap = 1 - tps[k]! / positives - fpr;
    if (gap === 0) return { eer: fpr, threshold: thresholds[k]! };
    if (gap < 0) {
      const alpha = prevGap / (prevGap - gap);
      const eer = prevFpr + alpha * (fpr - prevFpr);
      // The origin's threshold is +Infinity, which cannot be interpolated: use the highest score instead.
      const threshold =
        k === 0 ? thresholds[0]! : thresholds[k - 1]! + alpha * (thresholds[k]! - thresholds[k - 1]!);
      return { eer, threshold };
    }
    prevFpr = fpr;
    prevGap = gap;
  }
  // Unreachable for a curve with both classes: the last point has FPR = 1, FNR = 0.
  throw new Error("Internal error in 'eer': the ROC curve never reached FPR = FNR.");
}

/**
 * Equal error rate: the error where the false-positive rate FPR = FP/N equals the false-negative rate
 * FNR = FN/P = 1 − TPR, found on the ROC polyline of {@link rocCurve} (origin included).
 *
 * Exactly: let g_k = FNR_k − FPR_k at ROC point k (g_0 = 1 at the +Infinity origin; g strictly decreases).
 * If some point has g_k = 0, the result is `{ eer: FPR_k, threshold: thresholds[k] }`. Otherwise, for the
 * first k with g_k < 0, α = g_{k−1} / (g_{k−1} − g_k) and
 * `eer = FPR_{k−1} + α·(FPR_k − FPR_{k−1})` (which equals FNR interpolated the same way), and
 * `threshold = thresholds[k−1] + α·(thresholds[k] − thresholds[k−1])`, except when point k−1 is the origin,
 * whose +Infinity threshold is replaced by taking `threshold = thresholds[k]` (the highest score).
 * This is the intersection of the ROC polyline with the line TPR = 1 − FPR, as in the common
 * `brentq(lambda x: 1 - x - interp1d(fpr, tpr)(x), 0, 1)` recipe.
 *
 * @param labels - 1 = fake, 0 = real; both classes must occur.
 * @param scores - probability of fake.
 * @returns `{ eer, threshold }` with eer in [0, 1]: 0 for perfect separation, 0.5 for all-equal scores,
 *   1 for inverted separation.
 * @throws on a length mismatch, empty input, labels other than 0/1, non-finite scores, or single-class labels.
 *
 * @example
 * ```ts
 * eer([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // { eer: 0.5, threshold: 0.4 }
 * ```
 */
export function eer(labels: Labels, scores: Scores): EerResult {
  return eerFromCurve(rankingCurve(labels, scores, 'eer', 'the EER'));
}
