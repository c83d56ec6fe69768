import * as tf from '@tensorflow/tfjs-core';
import { centerBothSides, traceOfProduct } from './centering';
import type { ValidationOptions } from './options';
import { estimateOnGrams, type PairEstimator } from './pair_estimator';

/** The biased estimator as a {@link PairEstimator}: prepare = `HKH`, combine = `tr(·,·)/(n−1)²`. */
export const biasedEstimator: PairEstimator = {
  name: 'biased',
  minBatch: 2,
  shiftInvariant: true,
  prepare: centerBothSides,
  combine(p, q) {
    const n = p.shape[0];
    // tr(HKH·HLH) = tr(KHLH) because H is idempotent.
    return tf.tidy(() => tf.div(traceOfProduct(p, q), (n - 1) * (n - 1)) as tf.Scalar);
  },
};

/**
 * Biased empirical HSIC (Gretton et al. 2005; paper Eq. 8): `tr(K H L H) / (n − 1)²` with
 * `H = I − 11ᵀ/n`. Bias O(1/n); non-negative for positive semi-definite K and L.
 *
 * @param k - Gram matrix `[n, n]` of the first variable.
 * @param l - Gram matrix `[n, n]` of the second variable (same samples, same order).
 * @returns a scalar, differentiable with respect to both inputs.
 */
export function hsicBiased(k: tf.Tensor2D, l: tf.Tensor2D, options?: ValidationOptions): tf.Scalar {
  return estimateOnGrams(biasedEstimator, k, l, 'hsicBiased', options);
}
