import * as tf from '@tensorflow/tfjs-core';
import { Adam, type AdamOptions } from './adam';

/** A tensor with its name, as `tf.Optimizer` lists its weights (tfjs-core does not export its own type). */
export interface OptimizerWeight {
  name: string;
  tensor: tf.Tensor;
}

/** Options of {@link AdamOptimizer}: {@link AdamOptions} plus the fixed β₁ and learning rate of `tf.train.adam`. */
export interface AdamOptimizerOptions extends AdamOptions {
  /** Learning rate. Default 1e-3. */
  learningRate?: number;
  /** β₁. Default 0.9. */
  beta1?: number;
}

/**
 * {@link Adam} as a `tf.Optimizer`, for `model.compile({optimizer})`, `model.fit` and `optimizer.minimize`: a
 * drop-in for `tf.train.adam` whose update runs as one fused kernel per variable where the backend registers
 * `QadAdamUpdate` (`@qad/backend-onednn` does) instead of about twelve element-wise ops. PyTorch's rule
 * (ε 1e-8 added to √v̂), not TensorFlow's (ε 1e-7 added to √v, the bias correction folded into the rate): the
 * two differ by O(ε) per step.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: new AdamOptimizer({ learningRate: 1e-4 }), loss: 'categoricalCrossentropy' });
 * ```
 */
export class AdamOptimizer extends tf.Optimizer {
  /** Serialisation name. */
  static get className(): string {
    return 'QadAdamOptimizer';
  }

  readonly learningRate: number;
  readonly beta1: number;
  private readonly adam: Adam;
  private readonly options: AdamOptions;

  constructor(options: AdamOptimizerOptions = {}) {
    super();
    const { learningRate = 1e-3, beta1 = 0.9, ...rest } = options;
    if (!(learningRate >= 0))
      throw new Error(`AdamOptimizer: learningRate must be ≥ 0, got ${learningRate}.`);
    if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`AdamOptimizer: beta1 must be in [0, 1), got ${beta1}.`);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.options = rest;
    this.adam = new Adam(rest);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | OptimizerWeight[]): void {
    const grads: tf.NamedTensorMap = Array.isArray(variableGradients)
      ? Object.fromEntries(variableGradients.map((g) => [g.name, g.tensor]))
      : variableGradients;
    const registered = tf.engine().registeredVariables;
    const variables = Object.keys(grads).map((name) => {
      const variable = registered[name];
      if (variable === undefined) {
        throw new Error(`AdamOptimizer: no variable named '${name}' is registered for its gradient.`);
      }
      return variable;
    });
    this.adam.apply(variables, grads, this.learningRate, this.beta1);
    this.incrementIterations();
  }

  /** The step count, then every first and second moment (`<variable>/m`, `<variable>/v`). */
  override async getWeights(): Promise<OptimizerWeight[]> {
    const state = this.adam.getState();
    return [
      await this.saveIterations(),
      ...Object.entries(state.firstMoments).map(([name, tensor]) => ({ name: `${name}/m`, tensor })),
      ...Object.entries(state.secondMoments).map(([name, tensor]) => ({ name: `${name}/v`, tensor })),
    ];
  }

  override async setWeights(weightValues: OptimizerWeight[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const pick = (suffix: string) =>
      Object.fromEntries(
        rest.filter((w) => w.name.endsWith(suffix)).map((w) => [w.name.slice(0, -suffix.length), w.tensor]),
      );
    this.adam.setState({ step: this.iterations, firstMoments: pick('/m'), secondMoments: pick('/v') });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, ...this.options };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }

  override dispose(): void {
    this.adam.dispose();
    super.dispose();
  }
}
