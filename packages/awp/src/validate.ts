import * as tf from '@tensorflow/tfjs-core';
import type { AwpOptions, ResolvedAwpOptions } from './options';

const CTOR = 'AdversarialWeightPerturbation';

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : typeof value;
}

/** Validates {@link AwpOptions} and fills in the defaults. */
export function resolveOptions(options: unknown): ResolvedAwpOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `Argument 'options' passed to '${CTOR}' must be an object with at least 'gamma', but got ${describe(options)}.`,
    );
  }
  const {
    gamma,
    steps = 1,
    stepSize,
    include,
    preserve = [],
    radius = 'relative',
  } = options as Partial<AwpOptions>;
  if (radius !== 'relative' && radius !== 'global') {
    throw new Error(
      `Option 'radius' passed to '${CTOR}' must be 'relative' (AWP) or 'global' (SAM), but got ${describe(radius)}.`,
    );
  }
  if (!(typeof gamma === 'number' && Number.isFinite(gamma) && gamma >= 0)) {
    throw new Error(
      `Option 'gamma' passed to '${CTOR}' must be a finite number >= 0, but got ${describe(gamma)}.`,
    );
  }
  if (!(typeof steps === 'number' && Number.isInteger(steps) && steps >= 1)) {
    throw new Error(
      `Option 'steps' passed to '${CTOR}' must be an integer >= 1, but got ${describe(steps)}.`,
    );
  }
  if (
    stepSize !== undefined &&
    !(typeof stepSize === 'number' && Number.isFinite(stepSize) && stepSize > 0)
  ) {
    throw new Error(
      `Option 'stepSize' passed to '${CTOR}' must be a finite number > 0, but got ${describe(stepSize)}.`,
    );
  }
  const selectorOk =
    include === undefined ||
    typeof include === 'function' ||
    include instanceof RegExp ||
    (Array.isArray(include) && include.every((name) => typeof name === 'string'));
  if (!selectorOk) {
    throw new TypeError(
      `Option 'include' passed to '${CTOR}' must be a predicate (weight) => boolean, an array of weight names ` +
        `or a RegExp, but got ${describe(include)}.`,
    );
  }
  if (!(Array.isArray(preserve) && preserve.every((v: unknown) => v instanceof tf.Variable))) {
    throw new TypeError(`Option 'preserve' passed to '${CTOR}' must be an array of tf.Variable.`);
  }
  // Explicit step sizes are > 0 by now, so with steps > 1 the step can only be 0 when gamma is, a no-op anyway.
  // SAM perturbs every trainable weight unless told otherwise.
  const selector = include ?? (radius === 'global' ? () => true : undefined);
  return { gamma, steps, stepSize: stepSize ?? gamma, include: selector, preserve, radius };
}
