import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Adam } from './adam';
import type { BatchSource } from './sources';
import type { TrainableBackbone } from './trainable';

/** Position and bookkeeping of a run, saved beside the tensors. */
export interface TrainingState {
  /** Optimizer steps taken. */
  step: number;
  /** Epoch of the next batch. */
  epoch: number;
  /** Batch index inside `epoch` of the next batch. */
  batchInEpoch: number;
  /** Best validation value so far and the step it was reached at (`null` before the first validation). */
  best: { value: number; step: number } | null;
  /** The run's resolved configuration, to refuse resuming with a different one. */
  fingerprint: string;
  /** The training source's own state ({@link BatchSource.state}), when it keeps one. */
  source?: unknown;
}

const FORMAT = 'qad-checkpoint-v1';

interface Manifest {
  format: typeof FORMAT;
  state: TrainingState;
  weightNames: string[];
  trainableCount: number;
  optimizerStep: number;
  specs: tf.io.WeightsManifestEntry[];
}

/**
 * Writes the model's weights (batch-norm statistics included), the optimizer's moments and the training
 * state into `dir` atomically: everything goes to a sibling temporary folder that replaces `dir` by rename,
 * so a kill at any moment leaves either the old checkpoint or the new one, never a mix.
 */
export async function saveCheckpoint(
  dir: string,
  backbone: TrainableBackbone,
  optimizer: Adam | null,
  state: TrainingState,
): Promise<void> {
  const weights = backbone.model.weights;
  const named: tf.NamedTensorMap = {};
  weights.forEach((w, i) => {
    named[`w/${i}`] = w.read();
  });
  const trainable = backbone.model.trainableWeights.map((w) => w.read() as tf.Variable);
  let moments: tf.Tensor[] = [];
  let optimizerStep = 0;
  if (optimizer !== null) {
    const s = optimizer.getState();
    optimizerStep = s.step;
    trainable.forEach((v, i) => {
      const m = s.firstMoments[v.name];
      const u = s.secondMoments[v.name];
      if (m !== undefined && u !== undefined) {
        named[`m/${i}`] = m;
        named[`v/${i}`] = u;
      }
    });
    moments = [...Object.values(s.firstMoments), ...Object.values(s.secondMoments)];
  }
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    const manifest: Manifest = {
      format: FORMAT,
      state,
      weightNames: weights.map((w) => w.originalName),
      trainableCount: trainable.length,
      optimizerStep,
      specs,
    };
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, 'tensors.bin'), new Uint8Array(data));
    await writeFile(join(tmp, 'checkpoint.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    const old = `${dir}.old`;
    await rm(old, { recursive: true, force: true });
    if (existsSync(dir)) await rename(dir, old);
    await rename(tmp, dir);
    await rm(old, { recursive: true, force: true });
  } finally {
    tf.dispose(moments);
  }
}

/** Where a checkpoint can be read from: `dir`, or its `.old` twin when a kill fell between the two renames. */
export function checkpointPath(dir: string): string | null {
  if (existsSync(join(dir, 'checkpoint.json'))) return dir;
  if (existsSync(join(`${dir}.old`, 'checkpoint.json'))) return `${dir}.old`;
  return null;
}

/**
 * Restores weights, optimizer moments and the training state written by {@link saveCheckpoint} into a model
 * of the same architecture.
 *
 * @throws naming the folder when the checkpoint is missing, corrupt, or from another architecture.
 */
export async function loadCheckpoint(
  dir: string,
  backbone: TrainableBackbone,
  optimizer: Adam | null,
): Promise<TrainingState> {
  const from = checkpointPath(dir);
  if (from === null) throw new Error(`No checkpoint in '${dir}' (expected ${join(dir, 'checkpoint.json')}).`);
  let manifest: Manifest;
  let tensors: tf.NamedTensorMap;
  try {
    manifest = JSON.parse(await readFile(join(from, 'checkpoint.json'), 'utf8')) as Manifest;
    if (manifest.format !== FORMAT) throw new Error(`unknown format '${String(manifest.format)}'`);
    const bytes = await readFile(join(from, 'tensors.bin'));
    tensors = tf.io.decodeWeights(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      manifest.specs,
    );
  } catch (error) {
    throw new Error(
      `Checkpoint '${from}' cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    const weights = backbone.model.weights;
    const names = weights.map((w) => w.originalName);
    if (names.length !== manifest.weightNames.length || names.some((n, i) => n !== manifest.weightNames[i])) {
      throw new Error(
        `Checkpoint '${from}' holds ${manifest.weightNames.length} weights that do not match this model's ${names.length} ` +
          `(first difference: '${manifest.weightNames.find((n, i) => n !== names[i]) ?? '(count)'}'); was it written by another architecture?`,
      );
    }
    weights.forEach((w, i) => {
      const t = tensors[`w/${i}`]!;
      if (t.shape.join(',') !== w.shape.join(',')) {
        throw new Error(
          `Checkpoint '${from}': weight '${w.originalName}' has shape [${t.shape}] but the model expects [${w.shape}].`,
        );
      }
      w.write(t);
    });
    if (optimizer !== null) {
      const trainable = backbone.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const firstMoments: Record<string, tf.Tensor> = {};
      const secondMoments: Record<string, tf.Tensor> = {};
      trainable.forEach((v, i) => {
        const m = tensors[`m/${i}`];
        const u = tensors[`v/${i}`];
        if (m !== undefined && u !== undefined) {
          firstMoments[v.name] = m;
          secondMoments[v.name] = u;
        }
      });
      optimizer.setState({ step: manifest.optimizerStep, firstMoments, secondMoments });
    }
    return manifest.state;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
