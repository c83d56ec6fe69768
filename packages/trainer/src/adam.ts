import { QadAdamUpdate, type QadAdamUpdateAttrs } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** β₂. Default 0.999. (β₁ and the learning rate are given per step, so a schedule can cycle them.) */
  beta2?: number;
  /** ε added to √v̂. Default 1e-8 (PyTorch's). */
  epsilon?: number;
  /** Weight decay λ ≥ 0. Default 0. */
  weightDecay?: number;
  /**
   * `'l2'` (default) adds `λ·w` to the gradient, as `torch.optim.Adam(weight_decay=λ)` — what the authors
   * trained with; `'decoupled'` shrinks the weights by `lr·λ·w` instead (AdamW, Loshchilov & Hutter).
   */
  decay?: 'l2' | 'decoupled';
}

/** Serializable optimizer state: the step count and both moment estimates per variable name. */
export interface AdamState {
  step: number;
  firstMoments: Record<string, tf.Tensor>;
  secondMoments: Record<string, tf.Tensor>;
}

/**
 * Adam with PyTorch's update rule, written out so that the learning rate and β₁ can change every step (the
 * one-cycle schedule cycles both, as `torch.optim.lr_scheduler.OneCycleLR` does) and so that its whole state
 * can be checkpointed and restored bit-exactly.
 *
 * Bias corrections use the current β₁, like PyTorch: `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`,
 * `w ← w − lr · m̂ / (√v̂ + ε)`.
 */
export class Adam {
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly decay: 'l2' | 'decoupled';
  private t = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(options: AdamOptions = {}) {
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.decay = options.decay ?? 'l2';
    if (!(this.beta2 >= 0 && this.beta2 < 1))
      throw new Error(`Adam: beta2 must be in [0, 1), got ${this.beta2}.`);
    if (!(this.epsilon > 0)) throw new Error(`Adam: epsilon must be > 0, got ${this.epsilon}.`);
    if (!(this.weightDecay >= 0)) throw new Error(`Adam: weightDecay must be ≥ 0, got ${this.weightDecay}.`);
  }

  /** Number of steps taken. */
  get step(): number {
    return this.t;
  }

  /**
   * One update of `variables` with `grads` (keyed by variable name; a variable without a gradient is left
   * alone and its moments do not advance, like PyTorch's `p.grad is None`).
   */
  apply(
    variables: readonly tf.Variable[],
    grads: tf.NamedTensorMap,
    learningRate: number,
    beta1: number,
  ): void {
    if (!(learningRate >= 0)) throw new Error(`Adam: learning rate must be ≥ 0, got ${learningRate}.`);
    if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`Adam: beta1 must be in [0, 1), got ${beta1}.`);
    this.t += 1;
    const t = this.t;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    const fused = tf.getKernel(QadAdamUpdate, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      for (const variable of variables) {
        const g0 = grads[variable.name];
        if (g0 === undefined) continue;
        const m = this.moment(this.m, variable);
        const v = this.moment(this.v, variable);
        if (fused && variable.dtype === 'float32' && g0.dtype === 'float32') {
          const [w1, m1, v1] = tf.engine().runKernel(QadAdamUpdate, { w: variable, g: g0, m, v }, {
            beta1,
            beta2: this.beta2,
            lrOverCorrection1: learningRate / correction1,
            correction2,
            epsilon: this.epsilon,
            l2Decay: this.decay === 'l2' ? this.weightDecay : 0,
            decoupledFactor: this.decay === 'decoupled' ? 1 - learningRate * this.weightDecay : 1,
          } satisfies QadAdamUpdateAttrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          m.assign(m1!);
          v.assign(v1!);
          variable.assign(w1!);
          continue;
        }
        let g = g0;
        if (this.weightDecay > 0 && this.decay === 'l2') g = tf.add(g, tf.mul(variable, this.weightDecay));
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denominator = tf.add(tf.sqrt(tf.div(v, correction2)), this.epsilon);
        const update = tf.div(tf.mul(m, learningRate / correction1), denominator);
        let w: tf.Tensor = variable;
        if (this.weightDecay > 0 && this.decay === 'decoupled')
          w = tf.mul(w, 1 - learningRate * this.weightDecay);
        variable.assign(tf.sub(w, update));
      }
    });
  }

  /** Copies of the state (caller owns the tensors). */
  getState(): AdamState {
    const copy = (map: Map<string, tf.Variable>) =>
      Object.fromEntries([...map].map(([name, value]) => [name, tf.clone(value)]));
    return { step: this.t, firstMoments: copy(this.m), secondMoments: copy(this.v) };
  }

  /** Replaces the state with copies of `state` (the caller keeps ownership of its tensors). */
  setState(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new Error(`Adam.setState: step must be a non-negative integer, got ${state.step}.`);
    }
    this.disposeMoments();
    this.t = state.step;
    for (const [name, value] of Object.entries(state.firstMoments))
      this.m.set(name, tf.variable(value, false));
    for (const [name, value] of Object.entries(state.secondMoments))
      this.v.set(name, tf.variable(value, false));
  }

  /** Frees the moment estimates. */
  dispose(): void {
    this.disposeMoments();
  }

  private disposeMoments(): void {
    for (const value of [...this.m.values(), ...this.v.values()]) value.dispose();
    this.m.clear();
    this.v.clear();
  }

  private moment(map: Map<string, tf.Variable>, variable: tf.Variable): tf.Variable {
    let value = map.get(variable.name);
    if (value === undefined) {
      value = tf.keep(tf.variable(tf.zerosLike(variable), false));
      map.set(variable.name, value);
    }
    return value;
  }
}
