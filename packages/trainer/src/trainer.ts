import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AdversarialWeightPerturbation } from '@qad/awp';
import type { CollaborativeLossOptions } from '@qad/hsic';
import { Adam } from './adam';
import { checkpointPath, loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint';
import { type Evaluation, evaluate } from './evaluate';
import { type MethodSpec, resolveMethod } from './methods';
import { OneCycleSchedule } from './one_cycle';
import { presetFor } from './presets';
import type { BatchSource, EvalSource } from './sources';
import { resolveTapWeights } from './tap_weights';
import { type StepLosses, trainStep } from './train_step';
import type { TrainableBackbone } from './trainable';

/** What {@link train} reports after every step. */
export interface StepEvent extends StepLosses {
  type: 'step';
  step: number;
  totalSteps: number;
  epoch: number;
  batch: number;
  learningRate: number;
  awp: boolean;
  /** Images (M·B per batch) per second over this step, data loading included. */
  imagesPerSecond: number;
  seconds: number;
}

/** What {@link train} reports after every validation. */
export interface ValidationEvent {
  type: 'validation';
  step: number;
  epoch: number;
  value: number;
  improved: boolean;
  evaluation: Evaluation;
}

/** Options of {@link train}. Defaults are the authors' released ResNet-50 configuration where one exists. */
export interface TrainOptions {
  backbone: TrainableBackbone;
  train: BatchSource;
  /** Validation data; without it there is no best checkpoint and no validation events. */
  validation?: EvalSource;
  /** A method name understood by `resolveMethod` (`qad`, `ce`, `pairwise+awp-xe`…). Default `qad`. */
  method?: string | MethodSpec;
  epochs: number;
  /** Peak learning rate of the one-cycle schedule. Default: the backbone's `authors` preset (2e-4). */
  learningRate?: number;
  /** Adam weight decay. Default: the preset's (1e-4). */
  weightDecay?: number;
  /** `'l2'` (PyTorch Adam, the authors') or `'decoupled'` (AdamW). Default `'l2'`. */
  decay?: 'l2' | 'decoupled';
  /** α, weight of the collaborative term. Default: the preset's (0.003 ResNets, 0.002 EfficientNets). */
  alpha?: number;
  /** γ, AWP radius. Default: the preset's (0.002 ResNets, 0.006 EfficientNets). */
  gamma?: number;
  /** Epochs before AWP starts. Default: the preset's (3). */
  awpWarmupEpochs?: number;
  /** Epochs before validation starts. Default: the preset's (3). */
  validationWarmupEpochs?: number;
  /** Validations per epoch after the warm-up. Default: the preset's (10). */
  validationsPerEpoch?: number;
  /** Checkpoint selection: pooled validation accuracy (the authors') or AUC. Default `'accuracy'`. */
  selectBy?: 'accuracy' | 'auc';
  /** HSIC options (preset, σ, ε…); tap weights: `tapWeights`. Default: the `authors` preset. */
  hsic?: Omit<CollaborativeLossOptions, 'tapWeights'>;
  /**
   * Weight per tap of the collaborative loss. Default {@link resolveTapWeights}: the authors' weights for the
   * backbone's family (`tapWeightsFor` of `@qad/hsic`), 1 for taps it does not weight; 1 for every tap with
   * the HSIC `paper` preset.
   */
  tapWeights?: Readonly<Record<string, number>>;
  /** Folder for `last/` and `best/` checkpoints. */
  checkpointDir?: string;
  /** Also save `last/` every this many steps (validations and epoch ends always save). Default 0 = never. */
  checkpointEvery?: number;
  /** Continue from `checkpointDir/last` when it exists. Default false. */
  resume?: boolean;
  /** JSONL file receiving one line per step, validation and run event. */
  logFile?: string;
  /** Identifies the configuration; resuming with another fingerprint is refused. Default: from the options. */
  fingerprint?: string;
  onStep?: (event: StepEvent) => void;
  onValidation?: (event: ValidationEvent) => void;
}

/** What {@link train} returns. */
export interface TrainResult {
  steps: number;
  best: { value: number; step: number } | null;
  /** Whether the run started from a checkpoint. */
  resumed: boolean;
  lastEvaluation: Evaluation | null;
}

function positive(name: string, v: number, integer = false): void {
  if (!(Number.isFinite(v) && v >= 0 && (!integer || Number.isInteger(v)))) {
    throw new Error(
      `Option '${name}' passed to 'train' must be a ${integer ? 'non-negative integer' : 'finite number ≥ 0'}, got ${v}.`,
    );
  }
}

/**
 * Trains `backbone` with paper Algorithm 1 (or a baseline/ablation method): one-cycle Adam stepped per batch,
 * AWP after its warm-up, validation about `validationsPerEpoch` times per epoch after the validation warm-up,
 * best checkpoint by pooled validation accuracy, `last` checkpoint for `resume`. Deterministic given a
 * deterministic {@link BatchSource} and a model without dropout (tfjs draws dropout masks from Math.random).
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const method = typeof options.method === 'object' ? options.method : resolveMethod(options.method ?? 'qad');
  const tapWeights = resolveTapWeights(options.backbone, options.tapWeights, options.hsic?.preset);
  if (method.perQuality) {
    throw new Error("Method 'quality-aware' trains one model per quality: use trainQualityAware, not train.");
  }
  // presets.ts is the one source of defaults: the authors' configuration for this backbone's family.
  const preset = presetFor(options.backbone.name ?? 'resnet50');
  const learningRate = options.learningRate ?? preset.learningRate;
  const alpha = options.alpha ?? preset.alpha;
  const gamma = options.gamma ?? preset.gamma;
  const awpWarmupEpochs = options.awpWarmupEpochs ?? preset.awpWarmupEpochs;
  const validationWarmupEpochs = options.validationWarmupEpochs ?? preset.validationWarmupEpochs;
  const validationsPerEpoch = options.validationsPerEpoch ?? preset.validationsPerEpoch;
  positive('epochs', options.epochs, true);
  positive('alpha', alpha);
  positive('gamma', gamma);
  positive('awpWarmupEpochs', awpWarmupEpochs, true);
  positive('validationWarmupEpochs', validationWarmupEpochs, true);
  positive('validationsPerEpoch', validationsPerEpoch, true);
  if (!(learningRate > 0))
    throw new Error(`Option 'learningRate' passed to 'train' must be > 0, got ${learningRate}.`);
  const { backbone, train: source } = options;
  const perEpoch = source.batchesPerEpoch;
  if (!(Number.isInteger(perEpoch) && perEpoch > 0)) {
    throw new Error(
      `The training source has ${perEpoch} batches per epoch; it needs at least one (is the split empty?).`,
    );
  }
  const totalSteps = options.epochs * perEpoch;
  const schedule = new OneCycleSchedule({
    maxLearningRate: learningRate,
    totalSteps: Math.max(2, totalSteps),
  });
  const optimizer = new Adam({
    weightDecay: options.weightDecay ?? preset.weightDecay,
    decay: options.decay ?? 'l2',
  });
  const awp =
    method.awp !== 'none' && gamma > 0 ? new AdversarialWeightPerturbation(backbone.model, { gamma }) : null;
  const fingerprint =
    options.fingerprint ??
    JSON.stringify({
      method: method.name,
      epochs: options.epochs,
      learningRate,
      alpha,
      gamma,
      awpWarmupEpochs,
      perEpoch,
    });
  const log = async (record: object) => {
    if (options.logFile === undefined) return;
    await appendFile(options.logFile, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  };
  if (options.logFile !== undefined) await mkdir(dirname(options.logFile), { recursive: true });
  const lastDir = options.checkpointDir === undefined ? undefined : join(options.checkpointDir, 'last');
  const bestDir = options.checkpointDir === undefined ? undefined : join(options.checkpointDir, 'best');

  let state: TrainingState = { step: 0, epoch: 0, batchInEpoch: 0, best: null, fingerprint };
  let resumed = false;
  if (options.resume === true && lastDir !== undefined && checkpointPath(lastDir) !== null) {
    state = await loadCheckpoint(lastDir, backbone, optimizer);
    if (state.fingerprint !== fingerprint) {
      optimizer.dispose();
      throw new Error(
        `Cannot resume from '${lastDir}': it was written by a different configuration (${state.fingerprint}); this run is ${fingerprint}.`,
      );
    }
    if (state.source !== undefined) source.restore?.(state.source);
    resumed = true;
    await log({ type: 'resume', step: state.step, epoch: state.epoch, batch: state.batchInEpoch });
  } else {
    await log({ type: 'start', method: method.name, totalSteps, fingerprint });
  }

  const validationPoints = new Set(
    Array.from({ length: validationsPerEpoch }, (_, k) =>
      Math.max(1, Math.round(((k + 1) * perEpoch) / validationsPerEpoch)),
    ),
  );
  const save = async (dir: string | undefined) => {
    if (dir !== undefined)
      await saveCheckpoint(dir, backbone, optimizer, { ...state, source: source.state?.() });
  };
  let lastEvaluation: Evaluation | null = null;
  try {
    while (state.epoch < options.epochs) {
      const epoch = state.epoch;
      let started = Date.now();
      for await (const batch of source.epoch(epoch, state.batchInEpoch)) {
        const { learningRate: lr, beta1 } = schedule.at(state.step);
        const awpActive = awp !== null && epoch >= awpWarmupEpochs;
        let losses: StepLosses;
        try {
          losses = trainStep({ backbone, optimizer, awp, method }, batch, {
            step: state.step,
            alpha,
            awpActive,
            learningRate: lr,
            beta1,
            hsic: options.hsic,
            tapWeights,
          });
        } catch (error) {
          await log({
            type: 'error',
            step: state.step,
            epoch,
            batch: state.batchInEpoch,
            message: String(error),
          });
          throw error;
        }
        const images = batch.images.shape[0];
        batch.dispose();
        const seconds = (Date.now() - started) / 1000;
        started = Date.now();
        const event: StepEvent = {
          type: 'step',
          step: state.step,
          totalSteps,
          epoch,
          batch: state.batchInEpoch,
          learningRate: lr,
          awp: awpActive,
          imagesPerSecond: images / Math.max(seconds, 1e-9),
          seconds,
          ...losses,
        };
        state = { ...state, step: state.step + 1, batchInEpoch: state.batchInEpoch + 1 };
        if (state.batchInEpoch >= perEpoch) state = { ...state, epoch: epoch + 1, batchInEpoch: 0 };
        await log(event);
        options.onStep?.(event);

        const inEpoch = state.batchInEpoch === 0 ? perEpoch : state.batchInEpoch;
        const validateNow =
          options.validation !== undefined &&
          epoch >= validationWarmupEpochs &&
          validationPoints.has(inEpoch);
        if (validateNow && options.validation !== undefined) {
          lastEvaluation = await evaluate(backbone, options.validation);
          const value =
            options.selectBy === 'auc' ? (lastEvaluation.pooled.auc ?? 0) : lastEvaluation.pooled.accuracy;
          const improved = state.best === null || value > state.best.value;
          if (improved) {
            state = { ...state, best: { value, step: state.step } };
            await save(bestDir);
          }
          const validation: ValidationEvent = {
            type: 'validation',
            step: state.step,
            epoch,
            value,
            improved,
            evaluation: lastEvaluation,
          };
          await log(validation);
          options.onValidation?.(validation);
        }
        const periodic =
          (options.checkpointEvery ?? 0) > 0 && state.step % (options.checkpointEvery ?? 1) === 0;
        if (validateNow || periodic || state.batchInEpoch === 0) await save(lastDir);
      }
      if (state.epoch === epoch) {
        throw new Error(
          `The training source yielded fewer batches than its batchesPerEpoch (${perEpoch}) in epoch ${epoch} (stopped at batch ${state.batchInEpoch}).`,
        );
      }
    }
    await log({ type: 'end', step: state.step, best: state.best });
  } finally {
    optimizer.dispose();
  }
  return { steps: state.step, best: state.best, resumed, lastEvaluation };
}
