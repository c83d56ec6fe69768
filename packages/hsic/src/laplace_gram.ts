import * as tf from '@tensorflow/tfjs-core';
import { flattenSamples } from './flatten';
import type { LaplaceGramOptions } from './options';
import { squaredDistances } from './squared_distances';
import { assertBatch, assertPositive } from './validate';

/**
 * √D with the gradient taken as 0 where D = 0 (the diagonal of a distance matrix), where the true
 * derivative is infinite but the distance cannot move away from zero anyway.
 */
const safeSqrt = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const d = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const root = tf.sqrt(d);
  save([root]);
  return {
    value: root,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const r = saved[0]!;
      return tf.where(tf.greater(r, 0), tf.div(dy, tf.mul(tf.maximum(r, 1e-30), 2)), tf.zerosLike(r));
    },
  };
});

/**
 * Laplace Gram matrix `K_ij = exp(−‖x_i − x_j‖ / σ)` (or `/(σ·√d)` with `scaleByDim`).
 *
 * @param x - features `[n, ...]`; each sample is flattened.
 */
export function laplaceGram(x: tf.Tensor, options: LaplaceGramOptions = {}): tf.Tensor2D {
  return laplaceExponent(x, options, tf.exp);
}

/** `K − 11ᵀ` via `expm1`, for estimators that centre K (see `gaussianGramMinusOne`). */
export function laplaceGramMinusOne(x: tf.Tensor, options: LaplaceGramOptions = {}): tf.Tensor2D {
  return laplaceExponent(x, options, tf.expm1);
}

function laplaceExponent(
  x: tf.Tensor,
  options: LaplaceGramOptions,
  outer: (t: tf.Tensor) => tf.Tensor,
): tf.Tensor2D {
  const { sigma = 6, scaleByDim = false } = options;
  assertBatch(x, 'x', 'laplaceGram');
  assertPositive(sigma, 'sigma', 'laplaceGram');
  return tf.tidy(() => {
    const flat = flattenSamples(x);
    const distance = safeSqrt(squaredDistances(flat));
    const scale = sigma * (scaleByDim ? Math.sqrt(flat.shape[1]) : 1);
    return outer(tf.div(distance, -scale)) as tf.Tensor2D;
  });
}
