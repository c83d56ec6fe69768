import * as tf from '@tensorflow/tfjs-core';
import { centerRight, traceOfProduct } from './centering';
import { matrixInverse } from './matrix_inverse';
import type { NoccoOptions } from './options';
import { estimateOnGrams, type PairEstimator } from './pair_estimator';
import { assertPositive } from './validate';

/** NOCCO as a {@link PairEstimator} with ridge ε: prepare = `R`, combine = `tr(R_K R_L)`. */
export function noccoEstimator(epsilon = 1e-5): PairEstimator {
  assertPositive(epsilon, 'epsilon', 'hsicNocco');
  return {
    name: 'nocco',
    minBatch: 2,
    shiftInvariant: true,
    prepare(k) {
      const n = k.shape[0];
      const ridge = epsilon * n;
      return tf.tidy(() => {
        const regularised = tf.add(centerRight(k), tf.mul(tf.eye(n), ridge)) as tf.Tensor2D;
        // K_c A⁻¹ = (A − ridge·I) A⁻¹ = I − ridge·A⁻¹. The right side avoids multiplying O(1) entries of K_c
        // by the O(1/ridge) entries of A⁻¹, whose float32 rounding errors would not cancel.
        return tf.sub(tf.eye(n), tf.mul(matrixInverse(regularised), ridge)) as tf.Tensor2D;
      });
    },
    combine: traceOfProduct,
  };
}

/**
 * Normalised cross-covariance operator estimate (NOCCO, Fukumizu et al. 2008) — the estimator of the
 * authors' released QAD training: `K_c = K H`, `R_K = K_c (K_c + ε·n·I)⁻¹`, value `tr(R_K R_L)`.
 * Bounded by about n, insensitive to the kernel's scale, and differentiable through {@link matrixInverse}.
 */
export function hsicNocco(k: tf.Tensor2D, l: tf.Tensor2D, options: NoccoOptions = {}): tf.Scalar {
  return estimateOnGrams(noccoEstimator(options.epsilon), k, l, 'hsicNocco', options);
}
