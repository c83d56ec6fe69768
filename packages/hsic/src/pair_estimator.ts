import * as tf from '@tensorflow/tfjs-core';
import type { EstimatorName, ValidationOptions } from './options';
import { assertFinite, assertMinBatch, assertSameBatch, assertSquare } from './validate';

/**
 * An HSIC-family estimator split in two, so that a loss over many pairs of inputs does the per-input work
 * (centring, normalising, inverting) once per input rather than once per pair.
 */
export interface PairEstimator {
  readonly name: EstimatorName;
  /** Smallest batch for which the estimator is defined. */
  readonly minBatch: number;
  /** The value does not change when a constant matrix c·11ᵀ is added to either Gram matrix (it centres them). */
  readonly shiftInvariant: boolean;
  /** Per-input work on a Gram matrix `[n, n]`. */
  prepare(k: tf.Tensor2D): tf.Tensor2D;
  /** The estimate from two prepared inputs of the same size. */
  combine(p: tf.Tensor2D, q: tf.Tensor2D): tf.Scalar;
}

/** Validates two Gram matrices for `opName`, then evaluates `estimator` on them inside a tidy. */
export function estimateOnGrams(
  estimator: PairEstimator,
  k: tf.Tensor2D,
  l: tf.Tensor2D,
  opName: string,
  options: ValidationOptions = {},
): tf.Scalar {
  assertSquare(k, 'K', opName);
  assertSquare(l, 'L', opName);
  assertSameBatch(k, l, ['K', 'L'], opName);
  assertMinBatch(k, estimator.minBatch, 'K', opName);
  if (options.validate !== false) {
    assertFinite(k, 'K', opName);
    assertFinite(l, 'L', opName);
  }
  return tf.tidy(() => estimator.combine(estimator.prepare(k), estimator.prepare(l)));
}
