import * as tf from '@tensorflow/tfjs-core';

/** Added to gradient norms so that a zero gradient gives a zero step rather than NaN (Wu et al.'s EPS). */
export const NORM_EPSILON = 1e-20;

/** Inputs of one {@link ascentStep} on one weight tensor. */
export interface AscentStepInput {
  /** The perturbation so far, or null before the first step (v = 0). */
  readonly delta: tf.Tensor | null;
  /** Gradient of the loss at `w + v`; null when the loss does not depend on this weight. */
  readonly grad: tf.Tensor | null;
  /** Shape of the weight, for the zero step when `grad` is null. */
  readonly shape: readonly number[];
  /** `‖w‖` at the unperturbed weights: the radius and the step are relative to it. */
  readonly weightNorm: tf.Scalar;
  readonly gamma: number;
  readonly stepSize: number;
  /** Scale back onto `‖v‖ ≤ γ‖w‖`; skippable when the step cannot leave the ball. */
  readonly project: boolean;
}

/**
 * One projected normalised-gradient ascent step on one weight (paper Eq. 5):
 * `v' = Π(v + η‖w‖·g/(‖g‖ + 1e-20))`, where Π rescales `v'` onto the sphere `‖v'‖ = γ‖w‖` when it lies outside.
 * The first step from v = 0 with η = γ is the closed form `γ‖w‖·g/(‖g‖ + 1e-20)`.
 */
export function ascentStep(input: AscentStepInput): tf.Tensor {
  const { delta, grad, shape, weightNorm, gamma, stepSize, project } = input;
  return tf.tidy(() => {
    let step: tf.Tensor;
    if (grad === null) {
      step = tf.zeros(shape as number[]);
    } else {
      const scale = tf.div(tf.mul(weightNorm, stepSize), tf.add(tf.norm(grad), NORM_EPSILON));
      step = tf.mul(grad, scale);
    }
    const moved = delta === null ? step : tf.add(delta, step);
    if (!project) return moved;
    const radius = tf.mul(weightNorm, gamma);
    const factor = tf.minimum(1, tf.div(radius, tf.add(tf.norm(moved), NORM_EPSILON)));
    return tf.mul(moved, factor);
  });
}
