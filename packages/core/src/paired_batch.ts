import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import type { Quality } from './quality';

/**
 * One mini-batch of `M` qualities × `B` samples, laid out as `M` consecutive blocks of `B` images (the same
 * samples in the same order in every block), in the block order given by `qualities`. Every QAD loss reads
 * this layout: see {@link splitQualityBlocks} and {@link qualityBlockRows}.
 */
export interface PairedBatch {
  /** `[M·B, H, W, 3]` float32, normalised. Owned by the batch: freed by {@link PairedBatch.dispose}. */
  readonly images: Tensor4D;
  /** `[M·B]` int32 labels, the same `B` labels repeated per block. Owned by the batch. */
  readonly labels: Tensor1D;
  /** Quality of each block, in block order (shuffled per batch when the loader is asked to); M = its length. */
  readonly qualities: readonly Quality[];
  /** `B`: samples per quality block. */
  readonly batchSize: number;
  /** Indices into the split of the `B` samples, in block order. */
  readonly sampleIndices: readonly number[];
  /** Frees `images` and `labels`. Idempotent. */
  dispose(): void;
}
