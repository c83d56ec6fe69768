import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Backbone,
  createBackbone,
  loadKerasWeights,
  loadSafetensorsWeights,
  loadTfjsWeights,
  saveDetector,
} from '@qad/backbones';
import { assertFitsWasmHeap, selectBackend } from '@qad/backend';
import {
  atomicWrite,
  type PairedIndex,
  type PairedSplit,
  type Quality,
  RANDOM_JPEG_QUALITY,
} from '@qad/core';
import { loadOrDrawJpegQualities } from '@qad/data-jpeg-aug';
import { bestThreshold } from '@qad/metrics';
import {
  checkpointPath,
  type Evaluation,
  evaluatePredictions,
  loadCheckpoint,
  predict,
  type QualityPredictions,
  resolveMethod,
  type StepEvent,
  type TrainResult,
  train,
  type ValidationEvent,
} from '@qad/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedExperiment } from '../config';
import { embed, embeddingModel } from '../embedding';
import { rocFigure, tsneFigure } from '../plots';
import { evaluationCsv, evaluationMarkdown } from '../report';
import { pairedEvalSource, pairedTrainingSource } from './paired_sources';
import { preparePairedIndex } from './prepare_data';

/** Hooks for progress output. */
export interface ExperimentHooks {
  log?: (line: string) => void;
  onStep?: (event: StepEvent, model: string) => void;
  onValidation?: (event: ValidationEvent, model: string) => void;
  /** Continue from `<output>/checkpoints/…/last` where it exists. */
  resume?: boolean;
}

/** What {@link runExperiment} produced. */
export interface ExperimentResult {
  /** Test metrics per quality of the best checkpoint(s). */
  evaluation: Evaluation;
  training: Record<string, TrainResult>;
  /** Files written under the output folder. */
  files: string[];
}

/** Builds the configured backbone and loads its initial weights (head left out). */
export async function buildBackbone(
  config: ResolvedExperiment,
  log: (line: string) => void = () => {},
): Promise<Backbone> {
  const net = createBackbone(config.model.backbone, {
    inputSize: config.hyper.inputSize,
    dropout: config.model.dropout,
    dropConnectRate: config.model.dropConnectRate,
    widthMultiplier: config.model.widthMultiplier,
    seed: config.hyper.seed,
  });
  const weights = config.model.weights;
  if (weights !== undefined) {
    // ImageNet files carry a 1000-class head: everything but the classifier is loaded.
    const options = { skipHead: true };
    const report = weights.endsWith('.safetensors')
      ? await loadSafetensorsWeights(net, weights, options)
      : weights.endsWith('.h5')
        ? await loadKerasWeights(net, weights, options)
        : await loadTfjsWeights(net, weights, options);
    log(`initial weights: ${weights} (${report.loaded.length} tensors loaded)`);
  }
  return net;
}

/** The configured test qualities the test split can provide (`jpeg` is made from its raw frames). */
function testQualities(config: ResolvedExperiment, test: PairedSplit): Quality[] {
  return config.eval.qualities.filter((q) => q === RANDOM_JPEG_QUALITY || test.frames[q] !== undefined);
}

function sourceOptions(config: ResolvedExperiment) {
  return { inputSize: config.hyper.inputSize, preResize: config.data.preResize, seed: config.hyper.seed };
}

function fingerprint(config: ResolvedExperiment, qualities: readonly Quality[], method: string): string {
  return JSON.stringify({ model: config.model, method, qualities, hyper: config.hyper });
}

async function trainOne(
  config: ResolvedExperiment,
  index: PairedIndex,
  qualities: readonly Quality[],
  methodName: string,
  name: string,
  hooks: ExperimentHooks,
): Promise<{ net: Backbone; result: TrainResult }> {
  const log = hooks.log ?? (() => {});
  const net = await buildBackbone(config, log);
  if (tf.getBackend() === 'wasm') {
    // Fail before the first step, with the batch that would fit, rather than deep inside the wasm heap.
    assertFitsWasmHeap(net.model, qualities.length * config.hyper.batchPerQuality, {
      inputSize: config.hyper.inputSize,
    });
  }
  const source = pairedTrainingSource(index.train, {
    ...sourceOptions(config),
    qualities,
    batchPerQuality: config.hyper.batchPerQuality,
  });
  const hasValidation = index.val.labels.length > 0;
  const checkpointDir = join(config.output, 'checkpoints', name);
  const h = config.hyper;
  log(
    `${name}: ${source.batchesPerEpoch} batches of ${qualities.length}×${h.batchPerQuality} per epoch, ${h.epochs} epochs`,
  );
  try {
    const result = await train({
      backbone: net,
      train: source,
      validation: hasValidation
        ? pairedEvalSource(index.val, qualities, {
            ...sourceOptions(config),
            batchSize: config.eval.batchSize,
          })
        : undefined,
      method: methodName,
      epochs: h.epochs,
      learningRate: h.learningRate,
      weightDecay: h.weightDecay,
      alpha: h.alpha,
      gamma: h.gamma,
      awpWarmupEpochs: h.awpWarmupEpochs,
      validationWarmupEpochs: h.validationWarmupEpochs,
      validationsPerEpoch: h.validationsPerEpoch,
      selectBy: config.train.selectBy,
      hsic: { preset: h.hsicPreset },
      checkpointDir,
      resume: hooks.resume,
      logFile: join(config.output, 'logs', `${name}.jsonl`),
      fingerprint: fingerprint(config, qualities, methodName),
      onStep: (e) => hooks.onStep?.(e, name),
      onValidation: (e) => hooks.onValidation?.(e, name),
    });
    const best = join(checkpointDir, 'best');
    if (checkpointPath(best) !== null) {
      await loadCheckpoint(best, net, null);
      log(
        `${name}: best checkpoint at step ${result.best?.step} (validation ${config.train.selectBy} ${result.best?.value.toFixed(4)})`,
      );
    }
    return { net, result };
  } finally {
    source.close();
  }
}

async function testPredictions(
  config: ResolvedExperiment,
  net: Backbone,
  test: PairedSplit,
  qualities: readonly Quality[],
): Promise<Record<string, QualityPredictions>> {
  const raw = test.frames.raw;
  const jpegDraws =
    qualities.includes(RANDOM_JPEG_QUALITY) && raw !== undefined
      ? await loadOrDrawJpegQualities(join(config.output, 'jpeg-draws.json'), raw, config.eval.jpeg)
      : undefined;
  return predict(
    net,
    pairedEvalSource(test, qualities, {
      ...sourceOptions(config),
      batchSize: config.eval.batchSize,
      jpegDraws,
    }),
  );
}

/**
 * The decision threshold for the test accuracies (`eval.threshold`): a number as given, or chosen on the
 * validation split — the one that maximises accuracy (default) or balanced accuracy over the validation frames
 * of `qualities` pooled (`bestThreshold` of `@qad/metrics`), since the splits are unbalanced (FF++: four fakes
 * per real video) and 0.5 is arbitrary for a model trained on them. 0.5 when the validation split has no
 * frames of these qualities or only one class.
 */
async function validationThreshold(
  config: ResolvedExperiment,
  net: Backbone,
  index: PairedIndex,
  qualities: readonly Quality[],
): Promise<number> {
  const choice = config.eval.threshold;
  if (typeof choice === 'number') return choice;
  const val = index.val;
  const present = qualities.filter((q) => val.frames[q] !== undefined && q !== RANDOM_JPEG_QUALITY);
  if (present.length === 0 || new Set(val.labels).size < 2) return 0.5;
  const predictions = await predict(
    net,
    pairedEvalSource(val, present, { ...sourceOptions(config), batchSize: config.eval.batchSize }),
  );
  const labels = present.flatMap((q) => predictions[q]!.labels);
  const scores = present.flatMap((q) => Array.from(predictions[q]!.scores));
  const t = bestThreshold(labels, scores, choice);
  // No threshold beats a constant answer on validation: keep the conventional one.
  return Number.isFinite(t) ? t : 0.5;
}

/**
 * Runs a whole experiment from a configuration: data preparation (face crops), training (one model, or one
 * per quality for `quality-aware`), test evaluation per quality of the best checkpoint(s), and the outputs —
 * `results.md` (tables in the paper's layout), `results.csv`, `results.json`, `roc.svg/png`, `tsne.svg/png`,
 * the detector in tfjs format (`detector/`), logs (`logs/*.jsonl`) and checkpoints.
 */
export async function runExperiment(
  config: ResolvedExperiment,
  hooks: ExperimentHooks = {},
): Promise<ExperimentResult> {
  const log = hooks.log ?? (() => {});
  const backend = await selectBackend(config.backend);
  log(`backend: ${backend.backend} (${backend.reason})`);
  await mkdir(config.output, { recursive: true });
  const index = await preparePairedIndex(config, log);
  for (const split of ['train', 'test'] as const) {
    if (index[split].labels.length === 0)
      throw new Error(`The ${split} split is empty: nothing to ${split === 'train' ? 'train on' : 'test'}.`);
  }
  const method = resolveMethod(config.train.method);
  const evalQualities = testQualities(config, index.test);
  const training: Record<string, TrainResult> = {};
  const predictions: Record<string, QualityPredictions> = {};
  const thresholds: Record<string, number> = {};
  let featureNet: Backbone | undefined;
  if (method.perQuality) {
    // Quality-aware baseline (paper Table 3): one model per training quality, each tested on its own quality;
    // the random-JPEG test images (compressed raw frames) go to the raw model.
    for (const q of config.data.qualities) {
      const { net, result } = await trainOne(config, index, [q], 'ce', `quality-aware-${q}`, hooks);
      training[q] = result;
      const own = evalQualities.filter((e) => e === q || (q === 'raw' && e === RANDOM_JPEG_QUALITY));
      const threshold = await validationThreshold(config, net, index, [q]);
      for (const e of own) thresholds[e] = threshold;
      Object.assign(predictions, await testPredictions(config, net, index.test, own));
      if (q === 'raw') featureNet = net;
      else net.dispose();
    }
  } else {
    const { net, result } = await trainOne(
      config,
      index,
      config.data.qualities,
      method.name,
      method.name,
      hooks,
    );
    training[method.name] = result;
    try {
      return { ...(await testAndWrite(config, method.name, net, index)), training };
    } finally {
      net.dispose();
    }
  }
  const evaluation = evaluatePredictions(predictions, { threshold: thresholds });
  const files = await writeOutputs(config, method.name, evaluation, predictions, index.test, featureNet);
  featureNet?.dispose();
  return { evaluation, training, files };
}

/** Tests `net` on the test split per evaluation quality and writes tables, figures and the detector. */
export async function testAndWrite(
  config: ResolvedExperiment,
  row: string,
  net: Backbone,
  index: PairedIndex,
): Promise<Omit<ExperimentResult, 'training'>> {
  const threshold = await validationThreshold(config, net, index, config.data.qualities);
  const predictions = await testPredictions(config, net, index.test, testQualities(config, index.test));
  const evaluation = evaluatePredictions(predictions, { threshold });
  const files = await writeOutputs(config, row, evaluation, predictions, index.test, net);
  return { evaluation, files };
}

function thresholdOrigin(config: ResolvedExperiment): string {
  const choice = config.eval.threshold;
  if (typeof choice === 'number') return 'set in the configuration';
  const what = choice === 'accuracy' ? 'accuracy' : 'balanced accuracy';
  return `chosen on the validation split (maximum ${what} over its pooled qualities; 0.5 without one)`;
}

function thresholdNote(evaluation: Evaluation): string {
  const values = [...new Set(Object.values(evaluation.perQuality).map((m) => m.threshold.toFixed(3)))];
  return values.length === 1 ? `P(fake) ≥ ${values[0]}` : `per quality (${values.join(', ')})`;
}

async function writeOutputs(
  config: ResolvedExperiment,
  row: string,
  evaluation: Evaluation,
  predictions: Record<string, QualityPredictions>,
  test: PairedSplit,
  net: Backbone | undefined,
): Promise<string[]> {
  const out = config.output;
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    // Results are read by other tools (tables, dashboards): never leave a half-written one.
    await atomicWrite(join(out, name), data);
    files.push(join(out, name));
  };
  const rows = { [row]: evaluation };
  await write(
    'results.md',
    `# ${config.name}\n\nTest split, best checkpoint. Accuracies at the decision threshold ${thresholdNote(evaluation)}, ` +
      `${thresholdOrigin(config)}.\n\n${evaluationMarkdown(rows)}\n`,
  );
  await write('results.csv', evaluationCsv(rows));
  await write(
    'results.json',
    `${JSON.stringify({ name: config.name, method: row, config, evaluation }, null, 1)}\n`,
  );
  const roc = await rocFigure(predictions, `${config.name}: ROC per quality`);
  await write('roc.svg', roc.svg);
  await write('roc.png', await roc.png());
  if (net !== undefined) {
    const figure = await featureFigure(config, net, test);
    if (figure !== null) {
      await write('tsne.svg', figure.svg);
      await write('tsne.png', await figure.png());
    }
    await saveDetector(net, join(out, 'detector'));
    await write(
      'detector/detector.json',
      `${JSON.stringify({ backbone: config.model.backbone, inputSize: config.hyper.inputSize, preResize: config.data.preResize, normalization: 'imagenet', labels: { 0: 'real', 1: 'fake' } }, null, 1)}\n`,
    );
  }
  return files;
}

/** t-SNE of pooled test features (up to 100 samples × each training quality), coloured by class, shaped by quality. */
async function featureFigure(config: ResolvedExperiment, net: Backbone, test: PairedSplit) {
  const n = test.labels.length;
  if (n < 4) return null;
  const step = Math.max(1, Math.floor(n / 100));
  const picked = Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step).filter((i) => i < n);
  const qualities = config.data.qualities.filter((q) => test.frames[q] !== undefined);
  const subset: PairedSplit = {
    frames: Object.fromEntries(qualities.map((q) => [q, picked.map((i) => test.frames[q]![i]!)])),
    labels: picked.map((i) => test.labels[i]!),
    videos: picked.map((i) => test.videos[i]!),
  };
  const embedding = embeddingModel(net.model);
  const features: Float32Array[] = [];
  const labels: number[] = [];
  const tags: string[] = [];
  for (const q of qualities) {
    for await (const batch of pairedEvalSource(subset, [q], {
      ...sourceOptions(config),
      batchSize: config.eval.batchSize,
    }).batches(q)) {
      features.push(...(await embed(embedding, batch.images)));
      labels.push(...batch.labels);
      tags.push(...batch.labels.map(() => q));
      batch.dispose();
    }
  }
  return tsneFigure(features, labels, tags, {
    seed: config.hyper.seed,
    title: `${config.name}: t-SNE of pooled test features`,
  });
}
