import * as tf from '@tensorflow/tfjs-core';

let stop: ((x: tf.Tensor) => tf.Tensor) | null = null;

/**
 * The identity in the forward pass with a zero gradient: tfjs-core has no `stopGradient`, and a target
 * computed from the same logits would otherwise be pulled along by the ascent.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  if (!(x instanceof tf.Tensor)) {
    throw new TypeError(`Argument 'x' passed to 'stopGradient' must be a tf.Tensor.`);
  }
  // Built on first use so that importing the package has no side effects.
  stop ??= tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.clone(inputs[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return stop(x) as T;
}
