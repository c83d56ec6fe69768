import { readBatch, readBatchAsync } from './input';
import type { Labels, Scores } from './types';
import { assertNotEmpty } from './validate';

/**
 * The streaming protocol shared by every metric object, in the style of torchmetrics: feed batches with
 * `update`, read the result over everything seen with `compute`, start over with `reset`.
 *
 * Unlike torchmetrics, `update` takes `(labels, scores)`, the same order as the functions of this package.
 */
export interface StreamingMetric<T> {
  /**
   * Adds one batch. Arrays, typed arrays and `tf.Tensor`s (shape `[n]` or `[n, 1]`) may be mixed freely;
   * tensors are read with `dataSync()` and neither disposed nor modified. The batch is validated as a whole
   * (lengths, 0/1 labels, finite scores) before anything is stored, so a rejected batch leaves no trace.
   * An empty batch is accepted and changes nothing.
   */
  update(labels: Labels, scores: Scores): void;
  /** {@link StreamingMetric.update} reading tensors with `await tensor.data()`, for GPU backends. */
  updateAsync(labels: Labels, scores: Scores): Promise<void>;
  /**
   * The metric over every sample accumulated since construction or the last `reset`.
   * @throws when no sample has been accumulated yet.
   */
  compute(): T;
  /** Forgets every accumulated sample. */
  reset(): void;
  /** Number of samples accumulated. */
  readonly count: number;
}

/**
 * Validation and bookkeeping common to the streaming metrics; subclasses only store and compute. Extend it
 * to add a metric that follows the same protocol and input rules.
 */
export abstract class BinaryMetric<T> implements StreamingMetric<T> {
  private seen = 0;

  /** @param metricName - the class name that error messages cite, e.g. 'BinaryAuroc'. */
  protected constructor(private readonly metricName: string) {}

  /** {@inheritDoc StreamingMetric.update} */
  update(labels: Labels, scores: Scores): void {
    const batch = readBatch(labels, scores, `${this.metricName}.update`, true);
    this.accumulate(batch.labels, batch.scores);
    this.seen += batch.labels.length;
  }

  /** {@inheritDoc StreamingMetric.updateAsync} */
  async updateAsync(labels: Labels, scores: Scores): Promise<void> {
    const batch = await readBatchAsync(labels, scores, `${this.metricName}.updateAsync`, true);
    this.accumulate(batch.labels, batch.scores);
    this.seen += batch.labels.length;
  }

  /** {@inheritDoc StreamingMetric.compute} */
  compute(): T {
    assertNotEmpty(this.seen, this.metricName);
    return this.computeValue();
  }

  /** {@inheritDoc StreamingMetric.reset} */
  reset(): void {
    this.seen = 0;
    this.clear();
  }

  /** {@inheritDoc StreamingMetric.count} */
  get count(): number {
    return this.seen;
  }

  /** The name used in error messages, e.g. 'BinaryAuroc'. */
  protected get name(): string {
    return this.metricName;
  }

  /** Stores one validated batch (labels 0/1, finite scores, equal lengths; possibly empty). */
  protected abstract accumulate(labels: Uint8Array, scores: Float64Array): void;
  /** The result over everything stored; called only when at least one sample was stored. */
  protected abstract computeValue(): T;
  /** Drops everything stored. */
  protected abstract clear(): void;
}
