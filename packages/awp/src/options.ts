import type * as tf from '@tensorflow/tfjs-core';
import type { WeightInfo } from './target';

/**
 * Which trainable weights to perturb: a predicate on name and shape, a list of exact weight names (each must
 * exist), or a regular expression tested against the name.
 */
export type WeightSelector = ((weight: WeightInfo) => boolean) | readonly string[] | RegExp;

/** Options of {@link AdversarialWeightPerturbation}. */
export interface AwpOptions {
  /**
   * Relative radius γ: every perturbed weight w gets a perturbation v with `‖v‖ ≤ γ·‖w‖` (Frobenius norms,
   * per weight tensor). Finite, ≥ 0; 0 turns AWP into a no-op. Required — the authors used 0.002 for
   * ResNet-50 and 0.006 for EfficientNet-B1.
   */
  gamma: number;
  /** Number K of projected ascent steps, an integer ≥ 1. Default 1 (the paper's one-step AWP). */
  steps?: number;
  /**
   * Relative step size η > 0: each ascent step moves every weight by `η·‖w‖` along its normalised gradient
   * before projecting back onto `‖v‖ ≤ γ‖w‖`. Default `gamma`, which makes one step land on the boundary —
   * the closed form `v = γ‖w‖·g/‖g‖`. With `steps: 1` a value below `gamma` gives a shorter perturbation and
   * one above is clipped to the radius.
   */
  stepSize?: number;
  /**
   * Which of the target's trainable weights to perturb. Default: those of rank ≥ 2 (dense and conv kernels),
   * leaving biases and batch-norm γ/β alone, as in Wu et al. 2020. Non-trainable weights are never perturbed.
   */
  include?: WeightSelector;
  /**
   * Extra variables that the loss function may change as a side effect (e.g. moving statistics kept outside
   * a layers model) and that `calc` must leave untouched: each is snapshotted before every gradient pass and
   * written back bit-exactly afterwards. A layers model's non-trainable weights and the non-trainable
   * variables of a variable-list target are always protected this way. Default `[]`.
   */
  preserve?: readonly tf.Variable[];
  /**
   * `'relative'` (default): AWP's radius, `‖v‖ ≤ γ·‖w‖` for each weight tensor. `'global'`: SAM's (Foret et
   * al., ICLR 2021, the sharpness-aware minimisation SBI trains with): one ball of absolute radius ρ = `gamma`
   * for all perturbed weights together, `v = ρ·g/‖g‖` over their concatenated gradient in one step; `stepSize`
   * is absolute too, and `include` defaults to every trainable weight.
   */
  radius?: 'relative' | 'global';
}

/** {@link AwpOptions} with every default filled in. */
export interface ResolvedAwpOptions {
  readonly gamma: number;
  readonly steps: number;
  readonly stepSize: number;
  readonly include: WeightSelector | undefined;
  readonly preserve: readonly tf.Variable[];
  readonly radius: 'relative' | 'global';
}
