import * as tf from '@tensorflow/tfjs-core';

/** Throws unless `x` has rank ≥ 2, i.e. a batch of samples `[n, ...]`. */
export function assertBatch(x: tf.Tensor, argName: string, opName: string): void {
  if (!(x instanceof tf.Tensor)) {
    throw new TypeError(`Argument '${argName}' passed to '${opName}' must be a tf.Tensor.`);
  }
  if (x.rank < 2) {
    throw new Error(
      `Argument '${argName}' passed to '${opName}' must have rank >= 2 ([n, ...] features), ` +
        `but got rank ${x.rank} with shape [${x.shape.join(', ')}].`,
    );
  }
}

/** Throws unless `k` is a square `[n, n]` matrix. */
export function assertSquare(k: tf.Tensor, argName: string, opName: string): void {
  if (!(k instanceof tf.Tensor)) {
    throw new TypeError(`Argument '${argName}' passed to '${opName}' must be a tf.Tensor.`);
  }
  if (k.rank !== 2 || k.shape[0] !== k.shape[1]) {
    throw new Error(
      `Argument '${argName}' passed to '${opName}' must be a square [n, n] matrix, ` +
        `but got shape [${k.shape.join(', ')}].`,
    );
  }
}

/** Throws unless both tensors have the same leading (batch) dimension. */
export function assertSameBatch(a: tf.Tensor, b: tf.Tensor, names: [string, string], opName: string): void {
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(
      `Arguments '${names[0]}' and '${names[1]}' passed to '${opName}' must have the same batch size, ` +
        `but got ${a.shape[0]} and ${b.shape[0]}.`,
    );
  }
}

/** Throws unless the batch holds at least `min` samples. */
export function assertMinBatch(x: tf.Tensor, min: number, argName: string, opName: string): void {
  const n = x.shape[0] ?? 0;
  if (n < min) {
    throw new Error(
      `Argument '${argName}' passed to '${opName}' needs a batch of at least ${min} samples, but got ${n}.`,
    );
  }
}

/**
 * Throws if `x` holds NaN or ±Infinity. This reads one boolean back from the backend, so callers on an
 * accelerator who already guard their loss can switch it off with `validate: false`.
 */
export function assertFinite(x: tf.Tensor, argName: string, opName: string): void {
  const allFinite = tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0]);
  if (!allFinite) {
    throw new Error(`Argument '${argName}' passed to '${opName}' contains NaN or infinite values.`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function assertPositive(value: number, argName: string, opName: string): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new Error(
      `Option '${argName}' passed to '${opName}' must be a finite number > 0, but got ${value}.`,
    );
  }
}
