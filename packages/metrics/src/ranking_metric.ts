import { type BinaryCurve, binaryCurve } from './binary_curve';
import { BinaryMetric } from './binary_metric';
import { SampleBuffer } from './sample_buffer';
import { assertBothClasses } from './validate';

/**
 * Base of the streaming metrics that depend on the ranking of all scores (AUC, ROC, EER, AP): they keep
 * every sample, because these metrics do not decompose over batches, and evaluate the same curve code as
 * the functions on the concatenation.
 */
export abstract class RankingMetric<T> extends BinaryMetric<T> {
  private readonly samples = new SampleBuffer();

  protected constructor(
    name: string,
    private readonly quantity: string,
  ) {
    super(name);
  }

  protected accumulate(labels: Uint8Array, scores: Float64Array): void {
    this.samples.append(labels, scores);
  }

  protected computeValue(): T {
    const curve = binaryCurve(this.samples.labels, this.samples.scores);
    assertBothClasses(
      curve.positives,
      curve.negatives,
      `The labels accumulated by '${this.name}'`,
      this.quantity,
    );
    return this.fromCurve(curve);
  }

  protected clear(): void {
    this.samples.clear();
  }

  /** The metric from the curve of all accumulated samples (both classes guaranteed present). */
  protected abstract fromCurve(curve: BinaryCurve): T;
}
