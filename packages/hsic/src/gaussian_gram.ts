import * as tf from '@tensorflow/tfjs-core';
import { flattenSamples } from './flatten';
import type { GaussianGramOptions } from './options';
import { squaredDistances } from './squared_distances';
import { assertBatch, assertPositive } from './validate';

/**
 * Gaussian (RBF) Gram matrix of a batch: `K_ij = exp(−‖x_i − x_j‖² / (2σ²))`, or with `scaleByDim`
 * `exp(−‖x_i − x_j‖² / (2σ²·d))` where d is the flattened sample size (the authors' form).
 *
 * @param x - features `[n, ...]`; each sample is flattened.
 * @returns `[n, n]`, symmetric, ones on the diagonal.
 */
export function gaussianGram(x: tf.Tensor, options: GaussianGramOptions = {}): tf.Tensor2D {
  return gaussianExponent(x, options, 'gaussianGram', tf.exp);
}

/**
 * `K − 11ᵀ`, computed with `expm1`. Estimators that centre K cannot see the constant, and wide kernels
 * (the authors' σ = 6 scaled by d) give entries within 1e-3 of 1 whose float32 rounding would otherwise
 * swamp the small eigenvalues that NOCCO's ridge resolves.
 */
export function gaussianGramMinusOne(x: tf.Tensor, options: GaussianGramOptions = {}): tf.Tensor2D {
  return gaussianExponent(x, options, 'gaussianGram', tf.expm1);
}

function gaussianExponent(
  x: tf.Tensor,
  options: GaussianGramOptions,
  opName: string,
  outer: (t: tf.Tensor) => tf.Tensor,
): tf.Tensor2D {
  const { sigma = 6, scaleByDim = false } = options;
  assertBatch(x, 'x', opName);
  assertPositive(sigma, 'sigma', opName);
  return tf.tidy(() => {
    const flat = flattenSamples(x);
    const denominator = 2 * sigma * sigma * (scaleByDim ? flat.shape[1] : 1);
    return outer(tf.div(squaredDistances(flat), -denominator)) as tf.Tensor2D;
  });
}
