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

/** Inputs of one {@link globalAscentStep} over every perturbed weight at once. */
export interface GlobalAscentStepInput {
  /** The perturbations so far, one per weight, or null before the first step. */
  readonly deltas: readonly tf.Tensor[] | null;
  /** Gradients at `w + v`, one per weight (null where the loss does not depend on it). */
  readonly grads: readonly (tf.Tensor | null)[];
  readonly shapes: readonly (readonly number[])[];
  /** Absolute radius ρ of the ball all weights share. */
  readonly gamma: number;
  /** Absolute step size. */
  readonly stepSize: number;
  readonly project: boolean;
}

/**
 * One projected normalised-gradient ascent step of SAM (Foret et al., ICLR 2021) over all weights together:
 * `v' = Π(v + η·g/(‖g‖ + 1e-20))` with `‖g‖` the norm of every gradient concatenated, and Π rescaling all of
 * `v'` onto `‖v'‖ = ρ` when it lies outside. From v = 0 with η = ρ it is SAM's closed form `ρ·g/‖g‖`.
 */
export function globalAscentStep(input: GlobalAscentStepInput): tf.Tensor[] {
  const { deltas, grads, shapes, gamma, stepSize, project } = input;
  return tf.tidy(() => {
    const present = grads.filter((g): g is tf.Tensor => g !== null);
    const norm =
      present.length === 0 ? tf.scalar(0) : tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(stepSize, tf.add(norm, NORM_EPSILON));
    const moved = grads.map((g, i) => {
      const step = g === null ? tf.zeros(shapes[i] as number[]) : tf.mul(g, scale);
      return deltas === null ? step : tf.add(deltas[i]!, step);
    });
    if (!project) return moved;
    const total = tf.sqrt(tf.addN(moved.map((m) => tf.sum(tf.square(m)))));
    const factor = tf.minimum(1, tf.div(gamma, tf.add(total, NORM_EPSILON)));
    return moved.map((m) => tf.mul(m, factor));
  });
}
