import { accuracyFromConfusion } from './accuracy';
import { BinaryMetric } from './binary_metric';
import { accumulateConfusion } from './confusion_matrix';
import type { ConfusionMatrix, ThresholdOptions } from './types';
import { thresholdOption } from './validate';

/**
 * Streaming {@link accuracy} in constant memory; defined for single-class input like the function.
 *
 * @example
 * ```ts
 * const acc = new BinaryAccuracy({ threshold: 0.5 });
 * acc.update([1, 0, 1], [0.9, 0.3, 0.2]);
 * acc.compute(); // 0.666…
 * ```
 */
export class BinaryAccuracy extends BinaryMetric<number> {
  /** The decision threshold in use (predicted fake when `score >= threshold`). */
  readonly threshold: number;
  private counts: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };

  constructor(options: ThresholdOptions = {}) {
    super('BinaryAccuracy');
    this.threshold = thresholdOption(options, 'BinaryAccuracy');
  }

  protected accumulate(labels: Uint8Array, scores: Float64Array): void {
    accumulateConfusion(labels, scores, this.threshold, this.counts);
  }

  protected computeValue(): number {
    return accuracyFromConfusion(this.counts);
  }

  protected clear(): void {
    this.counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  }
}
