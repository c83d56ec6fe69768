import * as tf from '@tensorflow/tfjs-core';

/**
 * Pairwise squared Euclidean distances `D_ij = ‖x_i − x_j‖²` of the rows of `x: [n, d]`.
 *
 * Rows are first centred on their batch mean: distances do not change, but the expansion
 * `‖a‖² + ‖b‖² − 2a·b` then cancels far less in float32 when features share a large offset
 * (post-ReLU activations do).
 */
export function squaredDistances(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const centred = tf.sub(x, tf.mean(x, 0, true));
    const sqNorms = tf.sum(tf.square(centred), 1, true);
    const gram = tf.matMul(centred, centred, false, true);
    const d = tf.sub(tf.add(sqNorms, tf.transpose(sqNorms)), tf.mul(gram, 2));
    // Rounding can leave tiny non-zero self-distances and slightly negative ones; both are exactly 0.
    const offDiagonal = tf.sub(1, tf.eye(x.shape[0]));
    return tf.mul(tf.relu(d), offDiagonal) as tf.Tensor2D;
  });
}
