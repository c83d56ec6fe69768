import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '@tensorflow/tfjs-core';
import type { BufferPool } from './buffer_pool';
import type { OnednnAddon } from './load_addon';

/** What each oneDNN kernel needs: the addon, and the cpu kernel to hand anything it does not cover to. */
export interface KernelContext {
  addon: OnednnAddon;
  backendName: string;
  /** The cpu backend's kernel of the same name. */
  fallback: tf.KernelFunc;
}

/**
 * The Float32Array a float32 tensor lives in on a cpu-style backend (the backend's own storage: no copy),
 * or `null` for any other dtype, which the caller hands to the cpu kernel.
 */
export function float32Values(backend: MathBackendCPU, t: tf.TensorInfo): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : null;
}

/** The named input, or a clear error when the engine was called without it. */
export function requireInput(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`${kernel} on onednn: missing input '${name}'`);
  return t;
}

/** Throws a JS error for a tensor of the wrong rank instead of letting it reach native code. */
export function requireRank(t: tf.TensorInfo, rank: number, what: string, kernel: string): void {
  if (t.shape.length !== rank) {
    throw new Error(`${kernel} on onednn: ${what} must be rank ${rank}, got shape [${t.shape.join(', ')}]`);
  }
}

/** Throws when two sizes that must agree do not. */
export function requireEqual(a: number, b: number, what: string, kernel: string): void {
  if (a !== b) throw new Error(`${kernel} on onednn: ${what} (${a} vs ${b}) must match`);
}

function poolOf(backend: MathBackendCPU): BufferPool | undefined {
  return (backend as MathBackendCPU & { bufferPool?: BufferPool }).bufferPool;
}

/**
 * An output array of `length` for a kernel that writes every element: recycled from a disposed tensor when
 * the backend pools buffers (its contents are then arbitrary), else new.
 */
export function outputArray(backend: MathBackendCPU, length: number): Float32Array {
  return poolOf(backend)?.take(length) ?? new Float32Array(length);
}

/** A zero-filled output array of `length`, for kernels that add into (or skip parts of) their output. */
export function zeroedOutputArray(backend: MathBackendCPU, length: number): Float32Array {
  return poolOf(backend)?.takeZeroed(length) ?? new Float32Array(length);
}

/** Wraps a freshly written Float32Array as the backend's output tensor (the array is adopted, not copied). */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): tf.TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

/** Throws when a tensor's shape is not the one the geometry implies. */
export function requireShape(t: tf.TensorInfo, shape: readonly number[], what: string, kernel: string): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(
      `${kernel} on onednn: ${what} has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  }
}
