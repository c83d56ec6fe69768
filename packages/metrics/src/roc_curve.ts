import { type BinaryCurve, rankingCurve } from './binary_curve';
import type { Labels, RocCurve, Scores } from './types';

/** Normalises the cumulative counts and prepends the (0, 0) point at threshold +Infinity. */
export function rocFromCurve(curve: BinaryCurve): RocCurve {
  const m = curve.thresholds.length;
  const fpr = new Float64Array(m + 1);
  const tpr = new Float64Array(m + 1);
  const thresholds = new Float64Array(m + 1);
  thresholds[0] = Number.POSITIVE_INFINITY;
  for (let k = 0; k < m; k++) {
    fpr[k + 1] = curve.fps[k]! / curve.negatives;
    tpr[k + 1] = curve.tps[k]! / curve.positives;
    thresholds[k + 1] = curve.thresholds[k]!;
  }
  return { fpr, tpr, thresholds };
}

/**
 * ROC curve with scikit-learn's semantics (`roc_curve(..., drop_intermediate=False)`): thresholds strictly
 * decreasing, the first one `+Infinity` (the (0, 0) point), then one point per distinct score; point k
 * counts the samples with `score >= thresholds[k]`. Tied scores form a single point.
 *
 * @param labels - 1 = fake, 0 = real; both classes must occur.
 * @param scores - probability of fake.
 * @returns `{ fpr, tpr, thresholds }` as Float64Arrays of equal length (distinct scores + 1);
 *   use `Array.from` for plain arrays.
 * @throws on a length mismatch, empty input, labels other than 0/1, non-finite scores, or single-class labels.
 *
 * @example
 * ```ts
 * const { fpr, tpr, thresholds } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // thresholds [Infinity, 0.8, 0.4, 0.35, 0.1], fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
 * ```
 */
export function rocCurve(labels: Labels, scores: Scores): RocCurve {
  return rocFromCurve(rankingCurve(labels, scores, 'rocCurve', 'the ROC curve'));
}
