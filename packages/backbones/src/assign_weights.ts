import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { WeightSlot } from './weight_slots';

/** A tensor read from a weight file, in the file's layout. */
export interface FileTensor {
  shape: number[];
  values: Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array;
}

/** Options of the weight loaders. */
export interface LoadWeightsOptions {
  /**
   * Throw when the file lacks a weight of the model or holds one the model does not have. Default `true`.
   * With `false` the matching weights are loaded and the rest reported. Shape mismatches always throw.
   */
  strict?: boolean;
  /**
   * Leave the classifier head alone: its weights are neither required nor loaded (an ImageNet file has a
   * 1000-class head, a detector has 2). Default `false`.
   */
  skipHead?: boolean;
  /** Name of the classifier layer (the model's name for it), needed by `skipHead`. Default: `fc` and `classifier.1`. */
  headLayer?: string;
  /** Ignore file keys matching this (e.g. PyTorch's `num_batches_tracked`). Default: `/num_batches_tracked$/`. */
  ignore?: RegExp;
}

/** What a load did. */
export interface LoadReport {
  /** Model weights set from the file, by file key. */
  loaded: string[];
  /** Model weights the file lacks (left unchanged). */
  missing: string[];
  /** File keys with no model weight (not used). */
  unexpected: string[];
  /** Keys skipped on purpose (head with `skipHead`, `ignore` matches). */
  skipped: string[];
}

function list(title: string, keys: string[]): string {
  const shown = keys.slice(0, 20).join(', ');
  return `${title} (${keys.length}): ${shown}${keys.length > 20 ? ', …' : ''}`;
}

/**
 * Copies weights from `file` into `model`'s `slots` (see `weightSlots`) in one pass, after checking every
 * key and shape. The error lists missing, unexpected and mis-shaped keys at once, naming `fn` and `source`.
 */
export function assignWeights(
  model: tfl.LayersModel,
  file: Record<string, FileTensor>,
  slots: WeightSlot[],
  options: LoadWeightsOptions,
  fn: string,
  source: string,
): LoadReport {
  const strict = options.strict ?? true;
  const heads = options.headLayer !== undefined ? [options.headLayer] : ['fc', 'classifier.1'];
  const ignore = options.ignore ?? /num_batches_tracked$/;
  // The file may call the head differently (Keras `predictions`, timm `classifier`).
  const headFileLayers = new Set([
    ...heads,
    ...slots.filter((s) => heads.includes(s.layer)).map((s) => s.fileLayer),
  ]);
  const isHeadKey = (key: string): boolean =>
    [...headFileLayers].some((h) => key.startsWith(`${h}.`) || key.startsWith(`${h}/`));
  const report: LoadReport = { loaded: [], missing: [], unexpected: [], skipped: [] };
  const mismatched: string[] = [];
  const used = new Set<string>();
  const plan: Array<{ slot: (typeof slots)[number]; tensor: FileTensor }> = [];
  for (const slot of slots) {
    if (options.skipHead && heads.includes(slot.layer)) continue;
    const tensor = file[slot.key];
    if (tensor === undefined) {
      report.missing.push(slot.key);
      continue;
    }
    used.add(slot.key);
    if (tensor.shape.join(',') !== slot.fileShape.join(',')) {
      mismatched.push(
        `${slot.key} file [${tensor.shape.join(', ')}] vs model [${slot.fileShape.join(', ')}]`,
      );
      continue;
    }
    plan.push({ slot, tensor });
  }
  for (const key of Object.keys(file)) {
    if (used.has(key)) continue;
    if (ignore.test(key) || (options.skipHead && isHeadKey(key))) report.skipped.push(key);
    else report.unexpected.push(key);
  }
  const problems: string[] = [];
  if (mismatched.length > 0) problems.push(list('mis-shaped', mismatched));
  if (strict && report.missing.length > 0) problems.push(list('missing', report.missing));
  if (strict && report.unexpected.length > 0) problems.push(list('unexpected', report.unexpected));
  if (problems.length > 0) {
    throw new Error(
      `'${fn}' cannot load ${source} into ${model.name}: ${problems.join('; ')}.` +
        (strict ? ' Pass {strict: false} to load what matches, or {skipHead: true} to keep the head.' : ''),
    );
  }
  for (const { slot, tensor } of plan) {
    if (!(tensor.values instanceof Float32Array)) {
      throw new Error(`'${fn}' cannot load ${source}: weight '${slot.key}' is not a floating-point tensor.`);
    }
    const value = tf.tidy(() => {
      const t = tf.tensor(tensor.values as Float32Array, tensor.shape, 'float32');
      return slot.perm === null ? t : tf.transpose(t, slot.perm);
    });
    slot.variable.write(value);
    value.dispose();
    report.loaded.push(slot.key);
  }
  return report;
}
