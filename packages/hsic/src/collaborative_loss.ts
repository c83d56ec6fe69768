import type { TapFeatures } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import { pairEstimator } from './estimators';
import { kernelGram } from './kernel_gram';
import type { EstimatorName, KernelName, ValidationOptions } from './options';
import { assertBatch, assertFinite } from './validate';

/**
 * Named defaults of {@link collaborativeLoss}:
 * - `'authors'`: the authors' released training — NOCCO, Gaussian σ = 6 scaled by the feature size, ε = 1e-5;
 * - `'paper'`: the paper's text (Eq. 8–9) — biased HSIC, Gaussian σ = 6, with the distance scaled by the
 *   feature size as the authors' code does (unscaled, the kernel of a feature map underflows to the identity);
 * - `'cka'`: centred kernel alignment with the same Gaussian kernel — not in the paper; the estimator that best
 *   separated paired from shuffled qualities on trained features (examples/benchmark-study, `hsic-signal`),
 *   where the authors' NOCCO at ε = 1e-5 barely moves.
 */
export type CollaborativePreset = 'authors' | 'paper' | 'cka';

/** Options of {@link collaborativeLoss}. Any explicit option overrides the preset's value. */
export interface CollaborativeLossOptions extends ValidationOptions {
  /** Default `'authors'`. */
  preset?: CollaborativePreset;
  estimator?: EstimatorName;
  kernel?: KernelName;
  sigma?: number | 'median';
  scaleByDim?: boolean;
  /** NOCCO ridge ε. */
  epsilon?: number;
  /**
   * Weight w_l per tap name, ≥ 0; a tap with weight 0 is not computed and a tap missing here gets weight 1.
   * The authors weight ResNet's layer1/layer2/layer3 by 0.1/0.25/0.5 — the backbone supplies those.
   */
  tapWeights?: Readonly<Record<string, number>>;
}

const PRESETS: Record<
  CollaborativePreset,
  { estimator: EstimatorName; kernel: KernelName; sigma: number; scaleByDim: boolean; epsilon: number }
> = {
  authors: { estimator: 'nocco', kernel: 'gaussian', sigma: 6, scaleByDim: true, epsilon: 1e-5 },
  // σ = 6 as the paper, on the mean squared distance per dimension (the authors' scaling): on raw distances
  // of feature maps with d ≈ 10⁵–10⁶, exp(−D/72) underflows, K = I and the term has no gradient.
  paper: { estimator: 'biased', kernel: 'gaussian', sigma: 6, scaleByDim: true, epsilon: 1e-5 },
  cka: { estimator: 'cka', kernel: 'gaussian', sigma: 6, scaleByDim: true, epsilon: 1e-5 },
};

function checkedTapNames(
  features: readonly TapFeatures[],
  weights: Readonly<Record<string, number>>,
): string[] {
  const op = 'collaborativeLoss';
  if (!Array.isArray(features) || features.length < 2) {
    throw new Error(
      `Argument 'features' passed to '${op}' must hold at least 2 quality modalities, but got ${
        Array.isArray(features) ? features.length : typeof features
      }.`,
    );
  }
  const taps = Object.keys(features[0]!);
  if (taps.length === 0) throw new Error(`Argument 'features' passed to '${op}': modality 0 has no taps.`);
  features.forEach((modality, m) => {
    const names = Object.keys(modality);
    const same = names.length === taps.length && taps.every((t) => t in modality);
    if (!same) {
      throw new Error(
        `Argument 'features' passed to '${op}': modality ${m} has taps [${names.join(', ')}] ` +
          `but modality 0 has [${taps.join(', ')}]; every modality needs the same taps.`,
      );
    }
    for (const tap of taps) {
      const z = modality[tap]!;
      assertBatch(z, `features[${m}].${tap}`, op);
      const reference = features[0]![tap]!;
      if (z.shape.join(',') !== reference.shape.join(',')) {
        throw new Error(
          `Argument 'features' passed to '${op}': tap '${tap}' has shape [${z.shape.join(', ')}] in modality ` +
            `${m} but [${reference.shape.join(', ')}] in modality 0; the same samples must be tapped in every modality.`,
        );
      }
    }
  });
  for (const [tap, w] of Object.entries(weights)) {
    if (!taps.includes(tap)) {
      throw new Error(
        `Option 'tapWeights' passed to '${op}' names tap '${tap}', which is not among the features' taps [${taps.join(', ')}].`,
      );
    }
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new Error(
        `Option 'tapWeights' passed to '${op}': weight of tap '${tap}' must be finite and >= 0, but got ${w}.`,
      );
    }
  }
  return taps;
}

/**
 * QAD's intra-model collaborative loss (paper Eq. 9–10): `−Σ_l w_l Σ_(τ,ρ) estimator(Z_l^τ, Z_l^ρ)`, over
 * every tap l and every **unordered** pair of quality modalities (τ, ρ). Each Gram matrix and each
 * per-modality estimator step (centring, inversion) is computed once and shared by the pairs it enters.
 *
 * @param features - one {@link TapFeatures} per quality modality, for the same samples in the same order.
 * @returns a scalar to minimise (adding it maximises the dependence), differentiable w.r.t. every feature map.
 *
 * @example
 * ```ts
 * const loss = collaborativeLoss([rawTaps, c23Taps, c40Taps], {
 *   tapWeights: { layer1: 0.1, layer2: 0.25, layer3: 0.5 },
 * });
 * ```
 */
export function collaborativeLoss(
  features: readonly TapFeatures[],
  options: CollaborativeLossOptions = {},
): tf.Scalar {
  const preset = PRESETS[options.preset ?? 'authors'];
  if (preset === undefined) {
    throw new Error(
      `Unknown preset '${String(options.preset)}' passed to 'collaborativeLoss': expected 'authors', 'paper' or 'cka'.`,
    );
  }
  const {
    estimator = preset.estimator,
    kernel = preset.kernel,
    sigma = preset.sigma,
    scaleByDim = preset.scaleByDim,
    epsilon = preset.epsilon,
    tapWeights = {},
    validate = true,
  } = options;
  const taps = checkedTapNames(features, tapWeights);
  if (validate) {
    features.forEach((modality, m) => {
      for (const tap of taps) assertFinite(modality[tap]!, `features[${m}].${tap}`, 'collaborativeLoss');
    });
  }
  const est = pairEstimator(estimator, { epsilon });
  const n = features[0]![taps[0]!]!.shape[0]!;
  if (n < est.minBatch) {
    throw new Error(
      `'collaborativeLoss' with estimator '${estimator}' needs a batch of at least ${est.minBatch} samples per modality, but got ${n}.`,
    );
  }
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const tap of taps) {
      const weight = tapWeights[tap] ?? 1;
      if (weight === 0) continue;
      const prepared = features.map((modality) =>
        est.prepare(kernelGram(modality[tap]!, { kernel, sigma, scaleByDim }, est.shiftInvariant)),
      );
      for (let a = 0; a < prepared.length; a++) {
        for (let b = a + 1; b < prepared.length; b++) {
          total = tf.add(total, tf.mul(est.combine(prepared[a]!, prepared[b]!), weight));
        }
      }
    }
    return tf.neg(total);
  });
}
