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
  const { sigma = 6, scaleByDim = false } = options;
  assertBatch(x, 'x', 'gaussianGram');
  assertPositive(sigma, 'sigma', 'gaussianGram');
  return tf.tidy(() => {
    const flat = flattenSamples(x);
    const d = flat.shape[1];
    const denominator = 2 * sigma * sigma * (scaleByDim ? d : 1);
    return tf.exp(tf.div(squaredDistances(flat), -denominator)) as tf.Tensor2D;
  });
}
