import { accumulateConfusion } from './confusion_matrix';
import { readBatch } from './input';
import type { ConfusionMatrix, Labels, Scores } from './types';
import { assertThreshold } from './validate';

/** (TP + TN) / total of a confusion matrix; the shared last step of {@link accuracy} and `BinaryAccuracy`. */
export function accuracyFromConfusion(cm: ConfusionMatrix): number {
  return (cm.tp + cm.tn) / (cm.tp + cm.fp + cm.tn + cm.fn);
}

/**
 * Fraction of samples classified correctly when a sample is predicted fake iff `score >= threshold`.
 * Unlike the ranking metrics it is defined, and returned, for single-class input.
 *
 * @param labels - 1 = fake, 0 = real.
 * @param scores - probability of fake.
 * @param threshold - decision threshold, default 0.5.
 * @returns accuracy in [0, 1].
 * @throws on a length mismatch, empty input, labels other than 0/1, non-finite scores or a NaN threshold.
 *
 * @example
 * ```ts
 * accuracy([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.1]); // 0.75
 * ```
 */
export function accuracy(labels: Labels, scores: Scores, threshold = 0.5): number {
  assertThreshold(threshold, 'threshold', 'accuracy');
  const batch = readBatch(labels, scores, 'accuracy');
  return accuracyFromConfusion(
    accumulateConfusion(batch.labels, batch.scores, threshold, { tp: 0, fp: 0, tn: 0, fn: 0 }),
  );
}
