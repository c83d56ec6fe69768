import { meanCrossEntropy } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The loss of AWP-XE, QAD's default ascent (paper Table 4): a loss function for
 * `AdversarialWeightPerturbation.calc` that runs the forward pass and returns `meanCrossEntropy` (from `@qad/core`).
 *
 * @param logitsFn - the forward pass, e.g. `() => model.apply(x, {training: true}) as tf.Tensor2D`; it runs
 *   inside `calc`'s gradient tape, so it must be a function rather than precomputed logits.
 * @param labels - owned by the caller, who disposes it after `calc`.
 */
export function crossEntropyAscent(logitsFn: () => tf.Tensor2D, labels: tf.Tensor): () => tf.Scalar {
  if (typeof logitsFn !== 'function') {
    throw new TypeError(
      `Argument 'logitsFn' passed to 'crossEntropyAscent' must be a function returning logits.`,
    );
  }
  if (!(labels instanceof tf.Tensor)) {
    throw new TypeError(`Argument 'labels' passed to 'crossEntropyAscent' must be a tf.Tensor.`);
  }
  return () => meanCrossEntropy(logitsFn(), labels);
}
