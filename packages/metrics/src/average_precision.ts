import { type BinaryCurve, rankingCurve } from './binary_curve';
import type { Labels, Scores } from './types';

/** Σ (R_k − R_{k−1})·P_k over the distinct thresholds, highest first, with R_0 = 0. */
export function apFromCurve(curve: BinaryCurve): number {
  const { tps, fps, positives } = curve;
  let sum = 0;
  let prevTp = 0;
  for (let k = 0; k < tps.length; k++) {
    const tp = tps[k]!;
    // Every point holds at least one sample, so tp + fp > 0.
    sum += ((tp - prevTp) * tp) / (tp + fps[k]!);
    prevTp = tp;
  }
  return sum / positives;
}

/**
 * Average precision, step-wise and without interpolation (scikit-learn's `average_precision_score`):
 * `AP = Σ_k (R_k − R_{k−1})·P_k` over the distinct scores taken as thresholds from the highest down, where
 * P_k = TP_k / (TP_k + FP_k) and R_k = TP_k / P count the samples with `score >= threshold_k`, and R_0 = 0.
 * Tied scores enter as one threshold.
 *
 * @param labels - 1 = fake, 0 = real; both classes must occur.
 * @param scores - probability of fake.
 * @returns AP in (0, 1].
 * @throws on a length mismatch, empty input, labels other than 0/1, non-finite scores, or single-class labels.
 *
 * @example
 * ```ts
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 * ```
 */
export function averagePrecision(labels: Labels, scores: Scores): number {
  return apFromCurve(rankingCurve(labels, scores, 'averagePrecision', 'average precision'));
}
