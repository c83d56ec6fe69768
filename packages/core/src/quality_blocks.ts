import * as tf from '@tensorflow/tfjs-core';
import { checkNumQualities } from './quality';

/** Intermediate feature maps of one forward pass, keyed by tap name (`[N, ...]` each). */
export type TapFeatures = Readonly<Record<string, tf.Tensor>>;

/**
 * Rows per block `B = N / M` of a tensor laid out as M consecutive quality blocks; throws, naming `what`
 * and `op`, unless M divides a positive `N`.
 */
export function qualityBlockRows(rows: number, numQualities: number, op: string, what: string): number {
  checkNumQualities(numQualities, op, 1);
  if (!(rows > 0) || rows % numQualities !== 0) {
    throw new Error(
      `Argument '${what}' passed to '${op}' has ${rows} rows, which is not a positive multiple of M = ` +
        `${numQualities}; expected M consecutive blocks of B rows (the same samples in the same order).`,
    );
  }
  return rows / numQualities;
}

/**
 * Splits tapped features of one forward pass over `M·B` images — laid out as M consecutive blocks, one per
 * quality, the same samples in the same order — into M {@link TapFeatures}, one per quality. The returned
 * tensors are new: call inside `tf.tidy` or dispose them.
 *
 * @param features - feature maps `[M·B, ...]` keyed by tap name.
 * @param numQualities - M ≥ 2; must divide the batch.
 */
export function splitQualityBlocks(features: TapFeatures, numQualities: number): TapFeatures[] {
  const op = 'splitQualityBlocks';
  checkNumQualities(numQualities, op);
  const blocks: Record<string, tf.Tensor>[] = Array.from({ length: numQualities }, () => ({}));
  for (const [tap, z] of Object.entries(features)) {
    qualityBlockRows(z.rank < 1 ? 0 : (z.shape[0] ?? 0), numQualities, op, `features.${tap}`);
    tf.split(z, numQualities, 0).forEach((part, m) => {
      blocks[m]![tap] = part;
    });
  }
  return blocks;
}
