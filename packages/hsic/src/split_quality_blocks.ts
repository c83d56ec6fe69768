import * as tf from '@tensorflow/tfjs-core';
import type { TapFeatures } from './collaborative_loss';

/**
 * Splits tapped features of one forward pass over `M·B` images — laid out as M consecutive blocks, one per
 * quality, the same samples in the same order — into M {@link TapFeatures}, ready for
 * {@link collaborativeLoss}. The returned tensors are new: call inside `tf.tidy` or dispose them.
 *
 * @param features - feature maps `[M·B, ...]` keyed by tap name.
 * @param numModalities - M ≥ 2; must divide the batch.
 */
export function splitQualityBlocks(features: TapFeatures, numModalities: number): TapFeatures[] {
  if (!Number.isInteger(numModalities) || numModalities < 2) {
    throw new Error(
      `Argument 'numModalities' passed to 'splitQualityBlocks' must be an integer >= 2, but got ${numModalities}.`,
    );
  }
  const blocks: Record<string, tf.Tensor>[] = Array.from({ length: numModalities }, () => ({}));
  for (const [tap, z] of Object.entries(features)) {
    const batch = z.shape[0] ?? 0;
    if (z.rank < 1 || batch % numModalities !== 0) {
      throw new Error(
        `'splitQualityBlocks': tap '${tap}' has batch ${batch}, which is not a multiple of ${numModalities} modalities.`,
      );
    }
    tf.split(z, numModalities, 0).forEach((part, m) => {
      blocks[m]![tap] = part;
    });
  }
  return blocks;
}
