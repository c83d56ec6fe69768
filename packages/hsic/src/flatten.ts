import * as tf from '@tensorflow/tfjs-core';

/** Reshapes a batch `[n, ...]` to `[n, d]`, one flattened sample per row. */
export function flattenSamples(x: tf.Tensor): tf.Tensor2D {
  const n = x.shape[0]!;
  return (x.rank === 2 ? x : tf.reshape(x, [n, -1])) as tf.Tensor2D;
}
