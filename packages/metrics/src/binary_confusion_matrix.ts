import { BinaryMetric } from './binary_metric';
import { accumulateConfusion } from './confusion_matrix';
import type { ConfusionMatrix, ThresholdOptions } from './types';
import { thresholdOption } from './validate';

/**
 * Streaming {@link confusionMatrix} in constant memory: only the four counts are kept.
 * A sample is predicted fake when `score >= threshold`.
 *
 * @example
 * ```ts
 * const cm = new BinaryConfusionMatrix({ threshold: 0.5 });
 * cm.update([1, 0], [0.7, 0.2]);
 * cm.compute(); // { tp: 1, fp: 0, tn: 1, fn: 0 }
 * ```
 */
export class BinaryConfusionMatrix extends BinaryMetric<ConfusionMatrix> {
  /** The decision threshold in use. */
  readonly threshold: number;
  private counts: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };

  constructor(options: ThresholdOptions = {}) {
    super('BinaryConfusionMatrix');
    this.threshold = thresholdOption(options, 'BinaryConfusionMatrix');
  }

  protected accumulate(labels: Uint8Array, scores: Float64Array): void {
    accumulateConfusion(labels, scores, this.threshold, this.counts);
  }

  /** Returns a copy, so the caller cannot change the running counts. */
  protected computeValue(): ConfusionMatrix {
    return { ...this.counts };
  }

  protected clear(): void {
    this.counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  }
}
