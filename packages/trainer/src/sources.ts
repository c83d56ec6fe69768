import type { PairedBatch, Quality } from '@qad/core';
import type { Tensor4D } from '@tensorflow/tfjs-core';

/**
 * Training batches with random access by epoch, so that a resumed run sees exactly the batches an
 * uninterrupted one would: the content of batch `i` of epoch `e` must depend only on (seed, e, i).
 */
export interface BatchSource {
  /** Batches in one epoch. */
  readonly batchesPerEpoch: number;
  /** Qualities of every batch (block order may vary per batch). */
  readonly qualities: readonly Quality[];
  /** The batches of `epoch` from batch index `from` (default 0) to the end of the epoch. */
  epoch(epoch: number, from?: number): AsyncIterable<PairedBatch>;
  /** JSON-serialisable position and RNG state, saved in checkpoints (for sources that keep state). */
  state?(): unknown;
  /** Puts the source back where {@link BatchSource.state} was taken. */
  restore?(state: unknown): void;
}

/** One evaluation batch of a single quality. */
export interface EvalBatch {
  /** `[N, H, W, 3]`, normalised like the training images. Owned by the batch. */
  readonly images: Tensor4D;
  /** `N` labels, 0 = real, 1 = fake. */
  readonly labels: readonly number[];
  /** `N` video ids, for video-level metrics (frame paths or sample ids when there are no videos). */
  readonly videos: readonly string[];
  /** Frees `images`. */
  dispose(): void;
}

/** Test or validation data: per quality, batches of frames. */
export interface EvalSource {
  readonly qualities: readonly Quality[];
  batches(quality: Quality): AsyncIterable<EvalBatch>;
}
