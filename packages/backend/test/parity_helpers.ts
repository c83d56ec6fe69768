import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src';

registerWasmTrainingKernels();

/** Deterministic values in [−1, 1). */
export function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export interface KernelCase {
  kernel: string;
  inputs: Record<string, { shape: number[]; data: Float32Array }>;
  attrs: Record<string, unknown>;
}

/** Runs one kernel on a backend through the engine and returns its output values. */
export async function runOn(
  backend: string,
  c: KernelCase,
): Promise<{ shape: number[]; data: Float32Array }> {
  await tf.setBackend(backend);
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(c.inputs)) inputs[name] = tf.tensor(v.data, v.shape);
  const out = tf
    .engine()
    .runKernel(c.kernel, inputs as tf.NamedTensorMap, c.attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { shape: out.shape, data: out.dataSync() as Float32Array };
  tf.dispose([out, ...Object.values(inputs)]);
  return result;
}

/** max |a − b| / max |b|. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst / (scale || 1);
}
