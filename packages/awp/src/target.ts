import * as tf from '@tensorflow/tfjs-core';

/**
 * The part of a tfjs-layers `LayerVariable` that AWP relies on. `read()` must return the live `tf.Variable`
 * that holds the weight (tfjs-layers does), because AWP assigns to it directly: going through
 * `LayerVariable.write()` would re-apply weight constraints and break the bit-exact restore.
 */
export interface LayerVariableLike {
  /** Unique weight name, e.g. `'dense_Dense1/kernel'`. */
  readonly name: string;
  /** The underlying `tf.Variable` (not a copy). */
  read(): tf.Tensor;
}

/**
 * The part of a `tf.LayersModel` (or any `tf.layers.Layer`) that AWP relies on; a real model from
 * `@tensorflow/tfjs-layers` satisfies it without this package depending on tfjs-layers.
 */
export interface LayersModelLike {
  /** Weights the optimizer updates: candidates for perturbation. */
  readonly trainableWeights: readonly LayerVariableLike[];
  /** Weights such as batch-norm moving statistics: snapshotted around every gradient pass of `calc`. */
  readonly nonTrainableWeights: readonly LayerVariableLike[];
}

/** What {@link AdversarialWeightPerturbation} perturbs: a layers model, or a plain list of variables. */
export type AwpTarget = LayersModelLike | readonly tf.Variable[];

/** A weight as seen by the `include` selector and reported by `selectedWeights()`. */
export interface WeightInfo {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A target weight resolved to its live variable. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
}

/** The target's weights split the way AWP treats them. */
export interface ResolvedTarget {
  /** Candidates for perturbation. */
  readonly trainable: readonly NamedVariable[];
  /** Restored bit-exactly after every gradient pass. */
  readonly frozen: readonly NamedVariable[];
}

const CTOR = 'AdversarialWeightPerturbation';

function isLayersModelLike(target: unknown): target is LayersModelLike {
  if (typeof target !== 'object' || target === null) return false;
  const model = target as Partial<LayersModelLike>;
  return Array.isArray(model.trainableWeights) && Array.isArray(model.nonTrainableWeights);
}

/** Throws unless `target` is a layers model (structurally) or an array of distinct `tf.Variable`s. */
export function assertTarget(target: unknown): asserts target is AwpTarget {
  if (Array.isArray(target)) {
    const seen = new Set<tf.Variable>();
    target.forEach((v: unknown, i) => {
      if (!(v instanceof tf.Variable)) {
        throw new TypeError(
          `Argument 'target' passed to '${CTOR}' must be a tf.LayersModel or an array of tf.Variable, ` +
            `but element ${i} is not a tf.Variable.`,
        );
      }
      if (seen.has(v)) {
        throw new Error(
          `Argument 'target' passed to '${CTOR}' lists variable '${v.name}' more than once (element ${i}).`,
        );
      }
      seen.add(v);
    });
    return;
  }
  if (!isLayersModelLike(target)) {
    throw new TypeError(
      `Argument 'target' passed to '${CTOR}' must be a tf.LayersModel (an object with trainableWeights and ` +
        `nonTrainableWeights arrays) or an array of tf.Variable, but got ${
          target === null ? 'null' : typeof target
        }.`,
    );
  }
}

function liveVariable(weight: LayerVariableLike, list: string, op: string): NamedVariable {
  const variable = weight.read();
  if (!(variable instanceof tf.Variable)) {
    throw new TypeError(
      `'${op}': ${list} entry '${weight.name}' of the target returned something other than a tf.Variable ` +
        `from read(); AWP needs the live variable to assign to.`,
    );
  }
  return { name: weight.name, variable };
}

/**
 * The target's weights as they are now. Read on every call rather than once, so that freezing or unfreezing
 * layers between calls (e.g. after a warm-up) is honoured.
 */
export function resolveTarget(target: AwpTarget, op: string): ResolvedTarget {
  if (Array.isArray(target)) {
    const variables = target as readonly tf.Variable[];
    return {
      trainable: variables.filter((v) => v.trainable).map((variable) => ({ name: variable.name, variable })),
      frozen: variables.filter((v) => !v.trainable).map((variable) => ({ name: variable.name, variable })),
    };
  }
  const model = target as LayersModelLike;
  return {
    trainable: model.trainableWeights.map((w) => liveVariable(w, 'trainableWeights', op)),
    frozen: model.nonTrainableWeights.map((w) => liveVariable(w, 'nonTrainableWeights', op)),
  };
}
