import * as tf from '@tensorflow/tfjs-core';
import { traceOfProduct } from './centering';
import type { ValidationOptions } from './options';
import { estimateOnGrams, type PairEstimator } from './pair_estimator';

/**
 * The unbiased estimator as a {@link PairEstimator}: prepare zeroes the diagonal and subtracts the mean
 * off-diagonal entry. The estimate does not change when a constant is added to every off-diagonal entry, and
 * a Gaussian Gram matrix of nearby points has entries all close to 1: its four terms, each of order n², then
 * cancel down to ~10⁻⁶ and float32 keeps only a few digits (4 % off at σ = 6 scaled by d, n = 16). On the
 * shifted entries the terms are as small as the result.
 */
export const unbiasedEstimator: PairEstimator = {
  name: 'unbiased',
  minBatch: 4,
  shiftInvariant: true,
  prepare(k) {
    const n = k.shape[0];
    return tf.tidy(() => {
      const offDiagonal = tf.sub(1, tf.eye(n));
      const mean = tf.div(tf.sum(tf.mul(k, offDiagonal)), n * (n - 1));
      return tf.mul(tf.sub(k, mean), offDiagonal) as tf.Tensor2D;
    });
  },
  combine(kt, lt) {
    const n = kt.shape[0];
    return tf.tidy(() => {
      const trace = traceOfProduct(kt, lt);
      const sums = tf.div(tf.mul(tf.sum(kt), tf.sum(lt)), (n - 1) * (n - 2));
      // 1ᵀ K̃ L̃ 1 = (K̃ᵀ1)·(L̃1): column sums of K̃ against row sums of L̃.
      const cross = tf.mul(tf.sum(tf.mul(tf.sum(kt, 0), tf.sum(lt, 1))), 2 / (n - 2));
      return tf.div(tf.sub(tf.add(trace, sums), cross), n * (n - 3)) as tf.Scalar;
    });
  },
};

/**
 * Unbiased empirical HSIC (Song et al., JMLR 2012). With `K̃`, `L̃` the Gram matrices with zeroed diagonals:
 * `[tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1 / ((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3))`.
 * Its expectation is the population HSIC; it can be negative.
 *
 * @param k - Gram matrix `[n, n]`, n ≥ 4.
 * @param l - Gram matrix `[n, n]` of the same samples in the same order.
 */
export function hsicUnbiased(k: tf.Tensor2D, l: tf.Tensor2D, options?: ValidationOptions): tf.Scalar {
  return estimateOnGrams(unbiasedEstimator, k, l, 'hsicUnbiased', options);
}
