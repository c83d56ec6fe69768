import * as tf from '@tensorflow/tfjs-core';

/** `H K H` with `H = I − 11ᵀ/n`: subtracts row and column means and adds back the grand mean. */
export function centerBothSides(k: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const rowMeans = tf.mean(k, 1, true);
    const colMeans = tf.mean(k, 0, true);
    return tf.add(tf.sub(tf.sub(k, rowMeans), colMeans), tf.mean(k)) as tf.Tensor2D;
  });
}

/** `K H` with `H = I − 11ᵀ/n`: each row minus its own mean. */
export function centerRight(k: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(k, tf.mean(k, 1, true)) as tf.Tensor2D);
}

/** `tr(A B)` as `Σ_ij A_ij B_ji`, without forming the product. */
export function traceOfProduct(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(a, tf.transpose(b))) as tf.Scalar);
}
