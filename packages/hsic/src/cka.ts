import * as tf from '@tensorflow/tfjs-core';
import { centerBothSides, traceOfProduct } from './centering';
import type { ValidationOptions } from './options';
import { estimateOnGrams, type PairEstimator } from './pair_estimator';

/** CKA as a {@link PairEstimator}: prepare = `HKH / √tr(HKH·HKH)`, combine = trace of the product. */
export const ckaEstimator: PairEstimator = {
  name: 'cka',
  minBatch: 2,
  shiftInvariant: true,
  prepare(k) {
    return tf.tidy(() => {
      const centred = centerBothSides(k);
      return tf.div(centred, tf.sqrt(traceOfProduct(centred, centred))) as tf.Tensor2D;
    });
  },
  combine: traceOfProduct,
};

/**
 * Centred kernel alignment (normalised HSIC, Kornblith et al. 2019):
 * `hsicBiased(K, L) / √(hsicBiased(K, K) · hsicBiased(L, L))`, in [0, 1] for PSD Gram matrices.
 * With {@link linearGram} this is linear CKA. NaN when either centred Gram matrix is zero
 * (a constant batch), where CKA is undefined.
 */
export function cka(k: tf.Tensor2D, l: tf.Tensor2D, options?: ValidationOptions): tf.Scalar {
  return estimateOnGrams(ckaEstimator, k, l, 'cka', options);
}
