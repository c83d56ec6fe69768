import type * as tf from '@tensorflow/tfjs-core';
import { pairEstimator } from './estimators';
import { kernelGram } from './kernel_gram';
import type { HsicOptions } from './options';
import { estimateOnGrams } from './pair_estimator';
import { assertBatch, assertFinite, assertSameBatch } from './validate';

/**
 * HSIC-family dependence between two batches of features, straight from the features: builds both Gram
 * matrices with the chosen kernel and applies the chosen estimator.
 *
 * @param x - features `[n, ...]` (flattened per sample).
 * @param y - features `[n, ...]` of the same n samples in the same order; its feature size may differ from x's.
 * @returns a scalar tensor, differentiable with respect to x and y.
 *
 * @example
 * ```ts
 * const value = hsic(x, y, { estimator: 'biased', kernel: 'gaussian', sigma: 6 });
 * ```
 */
export function hsic(x: tf.Tensor, y: tf.Tensor, options: HsicOptions = {}): tf.Scalar {
  const {
    estimator = 'biased',
    kernel = 'gaussian',
    sigma = 6,
    scaleByDim = false,
    epsilon,
    validate = true,
  } = options;
  assertBatch(x, 'x', 'hsic');
  assertBatch(y, 'y', 'hsic');
  assertSameBatch(x, y, ['x', 'y'], 'hsic');
  if (validate) {
    assertFinite(x, 'x', 'hsic');
    assertFinite(y, 'y', 'hsic');
  }
  const spec = { kernel, sigma, scaleByDim };
  const est = pairEstimator(estimator, { epsilon });
  const k = kernelGram(x, spec, est.shiftInvariant);
  const l = kernelGram(y, spec, est.shiftInvariant);
  try {
    return estimateOnGrams(est, k, l, 'hsic', { validate: false });
  } finally {
    k.dispose();
    l.dispose();
  }
}
