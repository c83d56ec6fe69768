import * as tf from '@tensorflow/tfjs-core';
import { flattenSamples } from './flatten';
import { assertBatch } from './validate';

/**
 * Linear Gram matrix `K = X Xᵀ` of a batch (with it, biased HSIC is the squared Frobenius norm of the
 * cross-covariance and CKA is linear CKA).
 *
 * @param x - features `[n, ...]`; each sample is flattened.
 */
export function linearGram(x: tf.Tensor): tf.Tensor2D {
  assertBatch(x, 'x', 'linearGram');
  return tf.tidy(() => {
    const flat = flattenSamples(x);
    return tf.matMul(flat, flat, false, true);
  });
}
