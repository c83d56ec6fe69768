import { freeTapeOnThrow } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import { ascentStep, globalAscentStep } from './ascent_step';
import type { AwpOptions, ResolvedAwpOptions } from './options';
import { type Perturbation, PerturbationImpl } from './perturbation';
import { selectWeights } from './select_weights';
import { type AwpTarget, assertTarget, type NamedVariable, resolveTarget, type WeightInfo } from './target';
import { resolveOptions } from './validate';
import { restoreSnapshot, takeSnapshot } from './variable_snapshot';

const CLASS = 'AdversarialWeightPerturbation';

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Adversarial Weight Perturbation (Wu et al., NeurIPS 2020), as used by QAD (Le & Woo, ICCV 2023, §3.2.1):
 * finds a small worst-case perturbation v of the weights, per weight tensor within `‖v‖ ≤ γ‖w‖`, so that
 * training at `w + v` and then removing v flattens the weight loss landscape.
 *
 * `calc` only computes v and leaves the target exactly as it found it, batch-norm moving statistics included;
 * `perturb`/`restore` (or `withPerturbation`) apply and remove it around the training step.
 *
 * @example
 * ```ts
 * const awp = new AdversarialWeightPerturbation(model, { gamma: 0.002 });
 * const p = awp.calc(crossEntropyAscent(() => model.apply(x, { training: true }) as tf.Tensor2D, y));
 * awp.withPerturbation(p, () => optimizer.minimize(() => trainingLoss(x, y)));
 * p.dispose();
 * ```
 */
export class AdversarialWeightPerturbation {
  /** Relative radius γ. */
  readonly gamma: number;
  /** Number K of ascent steps. */
  readonly steps: number;
  /** Relative step size η (absolute with `radius: 'global'`). */
  readonly stepSize: number;
  /** `'relative'` (AWP, per weight) or `'global'` (SAM, one absolute ball). */
  readonly radius: 'relative' | 'global';
  private readonly target: AwpTarget;
  private readonly options: ResolvedAwpOptions;
  private active: PerturbationImpl | null = null;

  /**
   * @param target - a `tf.LayersModel` (any object with `trainableWeights`/`nonTrainableWeights` lists of
   *   layer variables) or an array of `tf.Variable`. Weights are looked up again on every `calc`, so layers
   *   frozen or unfrozen later are honoured.
   * @param options - see {@link AwpOptions}; `gamma` is required.
   */
  constructor(target: AwpTarget, options: AwpOptions) {
    assertTarget(target);
    this.options = resolveOptions(options);
    this.target = target;
    this.gamma = this.options.gamma;
    this.steps = this.options.steps;
    this.stepSize = this.options.stepSize;
    this.radius = this.options.radius;
  }

  /** True between `perturb(p)` and `restore(p)`. */
  get isPerturbed(): boolean {
    return this.active !== null;
  }

  /** Names and shapes of the weights that `calc` would perturb now. */
  selectedWeights(): WeightInfo[] {
    return this.select(`${CLASS}.selectedWeights`).map((w) => ({ name: w.name, shape: w.variable.shape }));
  }

  /**
   * Computes the adversarial perturbation for one batch: K projected ascent steps of `lossFn` (gradients by
   * `tf.variableGrads` at the current weights, then at `w + v`). On return — also when `lossFn` throws — the
   * perturbed weights, the target's non-trainable weights and the `preserve` variables hold exactly the
   * tensors they held before (bit-identical), so side effects such as batch-norm moving-statistics updates
   * in `model.apply(x, {training: true})` are undone. With `gamma: 0` nothing is evaluated and the deltas
   * are zeros.
   *
   * @param lossFn - synchronous, returns the scalar loss to ascend; it runs inside a gradient tape and its
   *   intermediate tensors are freed. See {@link crossEntropyAscent} and {@link klAscent}.
   * @returns a {@link Perturbation} that the caller owns and must `dispose()`.
   */
  calc(lossFn: () => tf.Scalar): Perturbation {
    const op = `${CLASS}.calc`;
    if (typeof lossFn !== 'function') {
      throw new TypeError(
        `Argument 'lossFn' passed to '${op}' must be a function returning a scalar tf.Tensor.`,
      );
    }
    if (this.active !== null) {
      throw new Error(
        `'${op}' was called while a perturbation is applied; restore(p) first, because calc must start from ` +
          `the unperturbed weights.`,
      );
    }
    const { trainable, frozen } = resolveTarget(this.target, op);
    const selected = selectWeights(trainable, this.options.include, op);
    const { gamma, steps, stepSize, preserve } = this.options;

    const weightNorms = tf.tidy(() => selected.map((w) => tf.norm(w.variable) as tf.Scalar));
    let deltas: tf.Tensor[];
    try {
      deltas =
        gamma === 0
          ? selected.map((w) => tf.zerosLike(w.variable))
          : this.ascend(selected, [...frozen.map((w) => w.variable), ...preserve], weightNorms, lossFn, {
              gamma,
              steps,
              stepSize,
            });
    } catch (error) {
      for (const t of weightNorms) t.dispose();
      throw error;
    }
    const normTable = tf.tidy(
      () => tf.stack(deltas.map((d, i) => tf.stack([weightNorms[i]!, tf.norm(d)]))) as tf.Tensor2D,
    );
    for (const t of weightNorms) t.dispose();
    // The caller owns these; an enclosing tf.tidy cannot see them through the Perturbation object.
    for (const d of deltas) tf.keep(d);
    tf.keep(normTable);
    return new PerturbationImpl(this, gamma, selected, deltas, normTable);
  }

  /**
   * Applies `p`: `w ← w + v` for each of its weights. The pre-perturbation weights are kept (sharing memory,
   * no copy) until {@link AdversarialWeightPerturbation.restore}.
   *
   * @throws if `p` was not computed by this instance, is disposed, or if a perturbation (this or another) is
   *   already applied.
   */
  perturb(p: Perturbation): void {
    const op = `${CLASS}.perturb`;
    const impl = this.own(p, op);
    if (this.active === impl) {
      throw new Error(
        `Argument 'perturbation' passed to '${op}' is already applied; perturbing twice is an error.`,
      );
    }
    if (this.active !== null) {
      throw new Error(
        `'${op}' was called while another perturbation is applied; restore it before applying a new one.`,
      );
    }
    impl.apply();
    this.active = impl;
  }

  /**
   * Removes `p`: `w ← w − v`, so an optimizer step taken at the perturbed weights is kept. A weight that was
   * not written since `perturb(p)` gets its exact saved value back, so perturb → restore is bit-exact; after
   * an optimizer step the result is `w₀ + (w − (w₀ + v))`, i.e. `w − v` up to one rounding.
   *
   * @throws if `p` was not computed by this instance or is not the applied perturbation.
   */
  restore(p: Perturbation): void {
    const op = `${CLASS}.restore`;
    const impl = this.own(p, op);
    if (this.active !== impl) {
      throw new Error(
        `Argument 'perturbation' passed to '${op}' is not applied; only a perturbation applied with perturb() ` +
          `can be restored, once.`,
      );
    }
    impl.revert();
    this.active = null;
  }

  /**
   * Runs `fn` at the perturbed weights: `perturb(p)`, `fn()`, `restore(p)`. Restores also when `fn` throws
   * or its promise rejects, then rethrows. For an async `fn` the weights stay perturbed until it settles.
   *
   * @returns what `fn` returns (a promise for an async `fn`).
   */
  withPerturbation<T>(p: Perturbation, fn: () => Promise<T>): Promise<T>;
  withPerturbation<T>(p: Perturbation, fn: () => T): T;
  withPerturbation<T>(p: Perturbation, fn: () => T | Promise<T>): T | Promise<T> {
    if (typeof fn !== 'function') {
      throw new TypeError(`Argument 'fn' passed to '${CLASS}.withPerturbation' must be a function.`);
    }
    this.perturb(p);
    let result: T | Promise<T>;
    try {
      result = fn();
    } catch (error) {
      this.restoreAfterFailure(p);
      throw error;
    }
    if (!isPromiseLike(result)) {
      this.restore(p);
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        this.restore(p);
        return value;
      },
      (error: unknown) => {
        this.restoreAfterFailure(p);
        throw error;
      },
    );
  }

  // A failing fn may already have restored p itself; restoring again would mask its error.
  private restoreAfterFailure(p: Perturbation): void {
    if (this.active === p) this.restore(p);
  }

  private select(op: string): NamedVariable[] {
    return selectWeights(resolveTarget(this.target, op).trainable, this.options.include, op);
  }

  private own(p: Perturbation, op: string): PerturbationImpl {
    if (!(p instanceof PerturbationImpl) || p.owner !== this) {
      throw new TypeError(
        `Argument 'perturbation' passed to '${op}' must be a Perturbation returned by this instance's calc().`,
      );
    }
    if (p.isDisposed) throw new Error(`Argument 'perturbation' passed to '${op}' is disposed.`);
    return p;
  }

  private ascend(
    selected: readonly NamedVariable[],
    protectedVariables: readonly tf.Variable[],
    weightNorms: readonly tf.Scalar[],
    lossFn: () => tf.Scalar,
    { gamma, steps, stepSize }: { gamma: number; steps: number; stepSize: number },
  ): tf.Tensor[] {
    const variables = selected.map((w) => w.variable);
    const originals = takeSnapshot(variables);
    const frozen = takeSnapshot([...new Set(protectedVariables)].filter((v) => !variables.includes(v)));
    const guardedLoss = freeTapeOnThrow(lossFn);
    let deltas: tf.Tensor[] | null = null;
    try {
      for (let k = 0; k < steps; k++) {
        if (deltas !== null) {
          const current: tf.Tensor[] = deltas;
          tf.tidy(() => {
            variables.forEach((v, i) => {
              v.assign(tf.add(originals.tensors[i]!, current[i]!));
            });
          });
        }
        const { value, grads } = tf.variableGrads(guardedLoss, variables);
        value.dispose();
        // Undone after every pass, not just at the end, so that each pass sees the statistics calc started from.
        restoreSnapshot(frozen);
        // From v = 0 a step of η ≤ γ cannot leave the ball, so the one-step closed form is not rescaled.
        const project = !(k === 0 && stepSize <= gamma);
        const previous: tf.Tensor[] | null = deltas;
        deltas =
          this.options.radius === 'global'
            ? globalAscentStep({
                deltas: previous,
                grads: variables.map((v) => grads[v.name] ?? null),
                shapes: variables.map((v) => v.shape),
                gamma,
                stepSize,
                project,
              })
            : variables.map((v, i) =>
                ascentStep({
                  delta: previous?.[i] ?? null,
                  grad: grads[v.name] ?? null,
                  shape: v.shape,
                  weightNorm: weightNorms[i]!,
                  gamma,
                  stepSize,
                  project,
                }),
              );
        for (const g of Object.values(grads)) g?.dispose();
        if (previous !== null) for (const d of previous) d.dispose();
      }
      return deltas ?? [];
    } catch (error) {
      if (deltas !== null) for (const d of deltas) d.dispose();
      throw error;
    } finally {
      restoreSnapshot(originals);
      restoreSnapshot(frozen);
      originals.dispose();
      frozen.dispose();
    }
  }
}
