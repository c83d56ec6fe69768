import type { Tensor } from '@tensorflow/tfjs-core';
import type { Labels, Scores } from './types';
import { show } from './validate';

/** Validated, owned copies of one batch: labels as 0/1 bytes, scores as finite doubles. */
export interface BinaryBatch {
  labels: Uint8Array;
  scores: Float64Array;
}

/**
 * Duck-typed so that a tensor from a second copy of tfjs-core (a bundler quirk) is still recognised, and
 * so that this package needs no runtime import of tfjs at all.
 */
export function isTensor(x: unknown): x is Tensor {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Tensor).dataSync === 'function' &&
    Array.isArray((x as Tensor).shape)
  );
}

function assertTensorLayout(t: Tensor, argName: string, fnName: string): void {
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new TypeError(
      `Argument '${argName}' passed to '${fnName}' must be a numeric or bool tensor, but got dtype '${t.dtype}'.`,
    );
  }
  const isColumn = t.rank === 2 && t.shape[1] === 1;
  if (t.rank !== 1 && !isColumn) {
    throw new Error(
      `Argument '${argName}' passed to '${fnName}' must be a tensor of shape [n] or [n, 1], ` +
        `but got shape [${t.shape.join(', ')}].`,
    );
  }
}

function assertArrayLike(x: unknown, argName: string, fnName: string): asserts x is ArrayLike<unknown> {
  const ok =
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ArrayLike<unknown>).length === 'number' &&
    !isTensor(x);
  if (!ok) {
    throw new TypeError(
      `Argument '${argName}' passed to '${fnName}' must be an array, a typed array or a tf.Tensor, ` +
        `but got ${x === null ? 'null' : typeof x}.`,
    );
  }
}

/**
 * The values of an array or tensor input, without copying. Reading a tensor with `dataSync()` creates no
 * tensor and leaves the caller's tensor alive, so `tf.memory().numTensors` does not move.
 */
export function readValues(x: unknown, argName: string, fnName: string): ArrayLike<unknown> {
  if (isTensor(x)) {
    assertTensorLayout(x, argName, fnName);
    return x.dataSync() as ArrayLike<unknown>;
  }
  assertArrayLike(x, argName, fnName);
  return x;
}

/** {@link readValues} with `await tensor.data()`, so that a GPU backend is not stalled by a blocking read. */
export async function readValuesAsync(
  x: unknown,
  argName: string,
  fnName: string,
): Promise<ArrayLike<unknown>> {
  if (isTensor(x)) {
    assertTensorLayout(x, argName, fnName);
    return (await x.data()) as ArrayLike<unknown>;
  }
  assertArrayLike(x, argName, fnName);
  return x;
}

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Copies labels into a Uint8Array, accepting 0/1 and false/true only. */
export function toLabelArray(values: ArrayLike<unknown>, argName: string, fnName: string): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === 1 || v === true) {
      out[i] = 1;
    } else if (v !== 0 && v !== false) {
      throw new Error(
        `Argument '${argName}' passed to '${fnName}' must contain only 0 (real) and 1 (fake), ` +
          `but element ${i} is ${show(v)}.`,
      );
    }
  }
  return out;
}

/** Copies scores into a Float64Array, rejecting anything that is not a finite number. */
export function toScoreArray(values: ArrayLike<unknown>, argName: string, fnName: string): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Number.isFinite does not coerce, so this one test also catches strings, booleans and bigints.
    if (!Number.isFinite(v)) {
      const what = typeof v !== 'number' ? `a ${typeof v} (${show(v)})` : String(v);
      throw new Error(
        `Argument '${argName}' passed to '${fnName}' must contain only finite numbers, but element ${i} is ${what}.`,
      );
    }
    out[i] = v as number;
  }
  return out;
}

/** Throws unless the two lengths agree and, unless `allowEmpty`, are non-zero. */
export function assertSameLength(
  lengths: readonly number[],
  names: readonly string[],
  fnName: string,
  allowEmpty: boolean,
): void {
  const list = listOf(names.map((name) => `'${name}'`));
  if (lengths.some((len) => len !== lengths[0])) {
    throw new Error(
      `Arguments ${list} passed to '${fnName}' must have the same length, but got ${listOf(lengths.map(String))}.`,
    );
  }
  if (!allowEmpty && lengths[0] === 0) {
    throw new Error(`Arguments ${list} passed to '${fnName}' must not be empty.`);
  }
}

function toBatch(
  labelValues: ArrayLike<unknown>,
  scoreValues: ArrayLike<unknown>,
  fnName: string,
  allowEmpty: boolean,
): BinaryBatch {
  assertSameLength([labelValues.length, scoreValues.length], ['labels', 'scores'], fnName, allowEmpty);
  return {
    labels: toLabelArray(labelValues, 'labels', fnName),
    scores: toScoreArray(scoreValues, 'scores', fnName),
  };
}

/** Reads and validates a labels/scores pair; empty input is an error unless `allowEmpty`. */
export function readBatch(labels: Labels, scores: Scores, fnName: string, allowEmpty = false): BinaryBatch {
  return toBatch(
    readValues(labels, 'labels', fnName),
    readValues(scores, 'scores', fnName),
    fnName,
    allowEmpty,
  );
}

/** {@link readBatch} with asynchronous tensor reads. */
export async function readBatchAsync(
  labels: Labels,
  scores: Scores,
  fnName: string,
  allowEmpty = false,
): Promise<BinaryBatch> {
  const [labelValues, scoreValues] = await Promise.all([
    readValuesAsync(labels, 'labels', fnName),
    readValuesAsync(scores, 'scores', fnName),
  ]);
  return toBatch(labelValues, scoreValues, fnName, allowEmpty);
}
