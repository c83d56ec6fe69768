import { accumulateConfusion } from './confusion_matrix';
import { readBatch } from './input';
import type { ConfusionMatrix, Labels, Scores } from './types';
import { assertThreshold } from './validate';

/**
 * Mean of the two per-class recalls, `(TP/(TP+FN) + TN/(TN+FP)) / 2`: 0.5 for any constant answer whatever the
 * class balance, where plain accuracy gives the majority share. With one class present, that class's recall.
 */
export function balancedAccuracyFromConfusion(cm: ConfusionMatrix): number {
  const recalls: number[] = [];
  if (cm.tp + cm.fn > 0) recalls.push(cm.tp / (cm.tp + cm.fn));
  if (cm.tn + cm.fp > 0) recalls.push(cm.tn / (cm.tn + cm.fp));
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}

/**
 * Balanced accuracy when a sample is predicted fake iff `score >= threshold`: the mean of the recall on fakes
 * and the recall on reals, so that a detector answering "fake" for everything scores 0.5 on any split.
 *
 * @param labels - 1 = fake, 0 = real.
 * @param scores - probability of fake.
 * @param threshold - decision threshold, default 0.5.
 * @throws on a length mismatch, empty input, labels other than 0/1, non-finite scores or a NaN threshold.
 *
 * @example
 * ```ts
 * balancedAccuracy([1, 1, 1, 0], [0.9, 0.8, 0.7, 0.6]); // 0.5: every fake found, the one real missed
 * ```
 */
export function balancedAccuracy(labels: Labels, scores: Scores, threshold = 0.5): number {
  assertThreshold(threshold, 'threshold', 'balancedAccuracy');
  const batch = readBatch(labels, scores, 'balancedAccuracy');
  return balancedAccuracyFromConfusion(
    accumulateConfusion(batch.labels, batch.scores, threshold, { tp: 0, fp: 0, tn: 0, fn: 0 }),
  );
}
