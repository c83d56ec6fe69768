import * as tf from '@tensorflow/tfjs-core';
import type { NamedVariable } from './target';

/** One perturbed weight of a {@link Perturbation}. */
export interface PerturbationEntry {
  /** The weight's name (the `LayerVariable` name for a layers model, the `tf.Variable` name otherwise). */
  readonly name: string;
  readonly shape: readonly number[];
  /** The perturbation v added to this weight by `perturb`. Owned by the {@link Perturbation}. */
  readonly delta: tf.Tensor;
}

/** Norms of one entry, for logging. */
export interface PerturbationNorm {
  readonly name: string;
  /** `‖w‖` at the weights `calc` saw. */
  readonly weightNorm: number;
  /** `‖v‖`. */
  readonly deltaNorm: number;
  /** `‖v‖ / ‖w‖`: γ for one step (η = γ), at most γ in general; 0 when `‖w‖ = 0`. */
  readonly relative: number;
}

/**
 * A weight perturbation computed by `AdversarialWeightPerturbation.calc`. It owns its tensors — one delta per
 * entry plus one small `[entries, 2]` tensor of norms — kept out of any enclosing `tf.tidy`, until
 * {@link Perturbation.dispose}.
 */
export interface Perturbation {
  /** The perturbed weights, in the target's order. */
  readonly entries: readonly PerturbationEntry[];
  /** The γ it was computed with. */
  readonly gamma: number;
  /** True between `perturb(p)` and `restore(p)`. */
  readonly isApplied: boolean;
  readonly isDisposed: boolean;
  /** Per-entry norms, read back asynchronously. */
  norms(): Promise<PerturbationNorm[]>;
  /** Per-entry norms, read back synchronously (blocks on the backend). */
  normsSync(): PerturbationNorm[];
  /** Frees the deltas. Throws while the perturbation is applied: restore it first. */
  dispose(): void;
}

/**
 * The implementation behind {@link Perturbation}. Not exported from the package, so that only `calc` creates
 * perturbations and `perturb`/`restore` can trust what they are given.
 */
export class PerturbationImpl implements Perturbation {
  readonly entries: readonly PerturbationEntry[];
  private readonly variables: readonly tf.Variable[];
  private readonly normTable: tf.Tensor2D;
  /** Weights before `apply`; they share memory with the originals (a clone, not a copy). */
  private originals: tf.Tensor[] | null = null;
  /** Tensor identities right after `apply`, to recognise weights nobody has written since. */
  private appliedIds: readonly object[] = [];
  private disposed = false;

  constructor(
    readonly owner: object,
    readonly gamma: number,
    weights: readonly NamedVariable[],
    deltas: readonly tf.Tensor[],
    normTable: tf.Tensor2D,
  ) {
    this.variables = weights.map((w) => w.variable);
    this.entries = weights.map((w, i) => ({ name: w.name, shape: w.variable.shape, delta: deltas[i]! }));
    this.normTable = normTable;
  }

  get isApplied(): boolean {
    return this.originals !== null;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** `w ← w + v` for every entry, keeping the originals for {@link PerturbationImpl.revert}. */
  apply(): void {
    const originals = this.variables.map((v) => tf.keep(tf.clone(v)));
    // γ = 0 must leave weights bit-identical, and w + 0 turns -0 into +0.
    if (this.gamma > 0) {
      tf.tidy(() => {
        this.variables.forEach((v, i) => {
          v.assign(tf.add(originals[i]!, this.entries[i]!.delta));
        });
      });
    }
    this.appliedIds = this.variables.map((v) => v.dataId);
    this.originals = originals;
  }

  /**
   * `w ← w − v`, computed as `w₀ + (w − (w₀ + v))`: a weight nobody wrote since `apply` gets its saved original
   * back bit-exactly, and one the optimizer stepped keeps that step, with a single rounding.
   */
  revert(): void {
    const originals = this.originals!;
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        const w0 = originals[i]!;
        if (v.dataId === this.appliedIds[i]) {
          v.assign(w0);
        } else {
          const update = tf.sub(v, tf.add(w0, this.entries[i]!.delta));
          v.assign(tf.add(w0, update));
        }
      });
    });
    for (const t of originals) t.dispose();
    this.originals = null;
    this.appliedIds = [];
  }

  async norms(): Promise<PerturbationNorm[]> {
    this.assertAlive('norms');
    return this.toNorms(await this.normTable.data());
  }

  normsSync(): PerturbationNorm[] {
    this.assertAlive('normsSync');
    return this.toNorms(this.normTable.dataSync());
  }

  dispose(): void {
    if (this.disposed) return;
    if (this.isApplied) {
      throw new Error(
        `'Perturbation.dispose' was called while the perturbation is applied; call restore(p) first so the ` +
          `original weights can be put back.`,
      );
    }
    for (const entry of this.entries) entry.delta.dispose();
    this.normTable.dispose();
    this.disposed = true;
  }

  private assertAlive(method: string): void {
    if (this.disposed) throw new Error(`'Perturbation.${method}' was called on a disposed perturbation.`);
  }

  private toNorms(values: ArrayLike<number>): PerturbationNorm[] {
    return this.entries.map((entry, i) => {
      const weightNorm = values[2 * i]!;
      const deltaNorm = values[2 * i + 1]!;
      return {
        name: entry.name,
        weightNorm,
        deltaNorm,
        relative: weightNorm > 0 ? deltaNorm / weightNorm : 0,
      };
    });
  }
}
