import {
  type AdversarialWeightPerturbation,
  crossEntropyAscent,
  klAscent,
  type Perturbation,
} from '@qad/awp';
import type { PairedBatch } from '@qad/core';
import { freeTapeOnThrow, meanCrossEntropy, splitQualityBlocks } from '@qad/core';
import {
  type CollaborativeLossOptions,
  centerLoss,
  collaborativeLoss,
  pairwiseLoss,
  softLabelLoss,
} from '@qad/hsic';
import * as tf from '@tensorflow/tfjs-core';
import type { Adam } from './adam';
import { NonFiniteLossError } from './errors';
import type { MethodSpec } from './methods';
import { resolveTapWeights } from './tap_weights';
import { type TrainableBackbone, trainableVariables } from './trainable';

/** Per-step settings of {@link trainStep}. */
export interface StepSettings {
  /** 0-based optimizer step (for errors and logs). */
  step: number;
  /** Weight α of the collaborative term. */
  alpha: number;
  /** Whether AWP runs on this step (false during the AWP warm-up or when the method has none). */
  awpActive: boolean;
  learningRate: number;
  beta1: number;
  /** Options of `collaborativeLoss` for the HSIC term (tap weights: `tapWeights`). */
  hsic?: Omit<CollaborativeLossOptions, 'tapWeights'>;
  /** Weight per tap of every collaborative loss. Default: {@link resolveTapWeights} of the backbone. */
  tapWeights?: Readonly<Record<string, number>>;
  /** Temperature of the soft-label term. Default 2. */
  softLabelTemperature?: number;
}

/** Loss values of one step (host numbers). */
export interface StepLosses {
  /** CE + α·collaborative, at the perturbed weights. */
  loss: number;
  crossEntropy: number;
  /** The collaborative term before α (0 when the method has none). */
  collaborative: number;
  /** Σ‖v‖ / Σ‖w‖ of the AWP perturbation (0 without AWP). */
  awpRelativeNorm: number;
}

/** What {@link trainStep} works on. */
export interface StepTarget {
  backbone: TrainableBackbone;
  optimizer: Adam;
  awp: AdversarialWeightPerturbation | null;
  method: MethodSpec;
}

function collaborativeTerm(
  method: MethodSpec,
  logits: tf.Tensor2D,
  features: Record<string, tf.Tensor>,
  numQualities: number,
  backbone: TrainableBackbone,
  settings: StepSettings,
): tf.Scalar | null {
  if (method.collaborative === 'none') return null;
  if (method.collaborative === 'soft-label')
    return softLabelLoss(logits, numQualities, settings.softLabelTemperature ?? 2);
  const views = splitQualityBlocks(features, numQualities);
  const tapWeights = settings.tapWeights ?? resolveTapWeights(backbone, undefined, settings.hsic?.preset);
  if (method.collaborative === 'pairwise') return pairwiseLoss(views, tapWeights);
  if (method.collaborative === 'center') return centerLoss(views, tapWeights);
  return collaborativeLoss(views, { ...settings.hsic, tapWeights, validate: false });
}

/**
 * One training step of paper Algorithm 1 on a paired batch (M quality blocks of the same B samples):
 * 1. with AWP active: v = AWP ascent on the method's adversarial loss (cross-entropy over all M·B images, or
 *    the raw-vs-compressed KL), computed at the current weights, batch-norm statistics left untouched;
 * 2. w ← w + v; forward at the perturbed weights; loss = CE + α·collaborative;
 * 3. gradients of that loss; one Adam step (taken at w + v);
 * 4. w ← w − v (the step survives).
 * A non-finite loss throws {@link NonFiniteLossError} before any weight changes.
 */
export function trainStep(target: StepTarget, batch: PairedBatch, settings: StepSettings): StepLosses {
  const { backbone, optimizer, awp, method } = target;
  const numQualities = batch.qualities.length;
  const x = batch.images;
  const y = batch.labels;
  if (method.collaborative !== 'none' && numQualities < 2) {
    throw new Error(
      `Method '${method.name}' needs at least 2 quality blocks per batch, got ${numQualities} (${batch.qualities.join(', ')}).`,
    );
  }
  let perturbation: Perturbation | null = null;
  let awpRelativeNorm = 0;
  if (settings.awpActive && awp !== null && method.awp !== 'none') {
    const logitsFn = () => backbone.forward(x, { training: true }).logits;
    if (method.awp === 'kl') {
      const rawBlock = batch.qualities.indexOf('raw');
      if (rawBlock < 0) {
        throw new Error(
          `AWP-KL needs a 'raw' quality block in every batch; this batch has ${batch.qualities.join(', ')}.`,
        );
      }
      perturbation = awp.calc(klAscent(logitsFn, { numQualities, rawBlock }));
    } else {
      perturbation = awp.calc(crossEntropyAscent(logitsFn, y));
    }
    awpRelativeNorm = relativeNorm(perturbation);
  }

  const variables = trainableVariables(backbone);
  // A diverged batch must leave no trace, batch-norm moving statistics included.
  const statistics = backbone.model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
  const savedStatistics = statistics.map((v) => tf.clone(v));
  const rollBackStatistics = () => {
    statistics.forEach((v, i) => {
      v.assign(savedStatistics[i]!);
    });
  };
  const descend = (): StepLosses => {
    let ce: tf.Scalar | null = null;
    let col: tf.Scalar | null = null;
    const lossFn = (): tf.Scalar => {
      const { logits, features } = backbone.forward(x, { training: true });
      ce = tf.keep(meanCrossEntropy(logits, y));
      // A NaN batch would make the collaborative term throw (singular kernel matrices) before the check below.
      if (!Number.isFinite(ce.dataSync()[0]!)) return ce;
      const term = collaborativeTerm(method, logits, features, numQualities, backbone, settings);
      if (term === null) return ce;
      col = tf.keep(term);
      return tf.add(ce, tf.mul(term, settings.alpha)) as tf.Scalar;
    };
    let value: tf.Scalar;
    let grads: tf.NamedTensorMap;
    try {
      ({ value, grads } = tf.variableGrads(freeTapeOnThrow(lossFn), variables));
    } catch (error) {
      const crossEntropy = (ce as tf.Scalar | null)?.dataSync()[0] ?? Number.NaN;
      tf.dispose([ce as tf.Scalar | null, col as tf.Scalar | null].filter((t): t is tf.Scalar => t !== null));
      if (error instanceof Error && /NaN|infinite/.test(error.message)) {
        rollBackStatistics();
        throw new NonFiniteLossError(
          settings.step,
          Number.NaN,
          batch.sampleIndices,
          `${method.collaborative} (${error.message})`,
        );
      }
      throw new Error(
        `Training step ${settings.step} failed (cross-entropy ${crossEntropy}): ${String(error)}`,
        { cause: error },
      );
    }
    const loss = value.dataSync()[0]!;
    const crossEntropy = (ce as tf.Scalar | null)?.dataSync()[0] ?? Number.NaN;
    const collaborative = (col as tf.Scalar | null)?.dataSync()[0] ?? 0;
    tf.dispose(
      [value, ce as tf.Scalar | null, col as tf.Scalar | null].filter((t): t is tf.Scalar => t !== null),
    );
    if (!Number.isFinite(loss)) {
      tf.dispose(grads);
      rollBackStatistics();
      const term = !Number.isFinite(crossEntropy) ? 'cross-entropy' : method.collaborative;
      throw new NonFiniteLossError(settings.step, loss, batch.sampleIndices, term);
    }
    optimizer.apply(variables, grads, settings.learningRate, settings.beta1);
    tf.dispose(grads);
    return { loss, crossEntropy, collaborative, awpRelativeNorm };
  };
  try {
    return perturbation !== null && awp !== null ? awp.withPerturbation(perturbation, descend) : descend();
  } finally {
    perturbation?.dispose();
    tf.dispose(savedStatistics);
  }
}

function relativeNorm(p: Perturbation): number {
  let v = 0;
  let w = 0;
  for (const entry of p.normsSync()) {
    v += entry.deltaNorm;
    w += entry.weightNorm;
  }
  return w > 0 ? v / w : 0;
}
