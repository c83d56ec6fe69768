import * as tf from '@tensorflow/tfjs-core';
import { flattenSamples } from './flatten';
import type { LaplaceGramOptions } from './options';
import { squaredDistances } from './squared_distances';
import { assertBatch, assertPositive } from './validate';

/** Distances below this are treated as exact zeros, where √ has no usable gradient. */
const TINY_SQUARED_DISTANCE = 1e-20;

/**
 * Laplace Gram matrix `K_ij = exp(−‖x_i − x_j‖ / σ)` (or `/(σ·√d)` with `scaleByDim`).
 *
 * @param x - features `[n, ...]`; each sample is flattened.
 */
export function laplaceGram(x: tf.Tensor, options: LaplaceGramOptions = {}): tf.Tensor2D {
  const { sigma = 6, scaleByDim = false } = options;
  assertBatch(x, 'x', 'laplaceGram');
  assertPositive(sigma, 'sigma', 'laplaceGram');
  return tf.tidy(() => {
    const flat = flattenSamples(x);
    const d2 = squaredDistances(flat);
    const positive = tf.greater(d2, TINY_SQUARED_DISTANCE);
    // The gradient of √D is infinite at D = 0 (the diagonal); route those entries through a constant.
    const distance = tf.where(positive, tf.sqrt(tf.maximum(d2, TINY_SQUARED_DISTANCE)), tf.zerosLike(d2));
    const scale = sigma * (scaleByDim ? Math.sqrt(flat.shape[1]) : 1);
    return tf.exp(tf.div(distance, -scale)) as tf.Tensor2D;
  });
}
