import { readBatch } from './input';
import type { ConfusionMatrix, Labels, Scores } from './types';
import { assertThreshold } from './validate';

/** Adds the outcomes of one validated batch to `into` (shared by the function and the streaming object). */
export function accumulateConfusion(
  labels: Uint8Array,
  scores: Float64Array,
  threshold: number,
  into: ConfusionMatrix,
): ConfusionMatrix {
  let tp = 0;
  let fp = 0;
  let fakes = 0;
  for (let i = 0; i < labels.length; i++) {
    const fake = labels[i]!;
    fakes += fake;
    if (scores[i]! >= threshold) {
      tp += fake;
      fp += 1 - fake;
    }
  }
  into.tp += tp;
  into.fp += fp;
  into.fn += fakes - tp;
  into.tn += labels.length - fakes - fp;
  return into;
}

/**
 * Confusion matrix of thresholded scores: a sample is predicted fake when `score >= threshold`, so the
 * matrix at `rocCurve(...).thresholds[k]` reproduces point k of the ROC curve. Works on single-class input.
 *
 * @param labels - 1 = fake, 0 = real.
 * @param scores - probability of fake (any finite score).
 * @param threshold - decision threshold, default 0.5.
 * @returns `{ tp, fp, tn, fn }` with fake as the positive class.
 * @throws on a length mismatch, empty input, labels other than 0/1, non-finite scores or a NaN threshold.
 *
 * @example
 * ```ts
 * confusionMatrix([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1]); // { tp: 1, fp: 1, tn: 1, fn: 1 }
 * ```
 */
export function confusionMatrix(labels: Labels, scores: Scores, threshold = 0.5): ConfusionMatrix {
  assertThreshold(threshold, 'threshold', 'confusionMatrix');
  const batch = readBatch(labels, scores, 'confusionMatrix');
  return accumulateConfusion(batch.labels, batch.scores, threshold, { tp: 0, fp: 0, tn: 0, fn: 0 });
}
