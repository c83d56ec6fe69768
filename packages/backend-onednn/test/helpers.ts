import * as tf from '@tensorflow/tfjs';
import { loadOnednnAddon, type MathBackendOnednn, registerOnednnBackend } from '../src';

/** The backend under test, registered once for every test file that imports this module. */
export const ONEDNN = registerOnednnBackend();
/** Recycled output arrays arrive full of NaN in every test: a kernel that skips an element shows it. */
(tf.findBackend(ONEDNN) as MathBackendOnednn).bufferPool.poisonRecycled = true;
export const addon = loadOnednnAddon();

/** Deterministic values in [−1, 1) from a seed (mulberry32). */
export function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** One kernel call: its name, inputs (shape + values) and attributes. */
export interface KernelCase {
  kernel: string;
  inputs: Record<string, { shape: number[]; data: Float32Array }>;
  attrs: Record<string, unknown>;
}

/** Random float32 inputs of the given shapes, each from its own seed. */
export function randomInputs(shapes: Record<string, number[]>, seed: number): KernelCase['inputs'] {
  const out: KernelCase['inputs'] = {};
  let s = seed;
  for (const [name, shape] of Object.entries(shapes)) {
    out[name] = { shape, data: values(tf.util.sizeFromShape(shape), s++) };
  }
  return out;
}

/** Runs one kernel through the engine on `backend`; checks it leaves no tensor behind. */
export async function runOn(
  backend: string,
  c: KernelCase,
): Promise<{ shape: number[]; data: Float32Array }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(c.inputs)) inputs[name] = tf.tensor(v.data, v.shape);
  const run = () =>
    tf.engine().runKernel(c.kernel, inputs as tf.NamedTensorMap, c.attrs as tf.NamedAttrMap) as tf.Tensor;
  // On onednn a first run's outputs go back to the buffer pool (poisoned with NaN), so the run that is
  // compared writes into recycled arrays, as kernels inside a training step do.
  if (backend === ONEDNN) tf.dispose(run());
  const out = run();
  const result = { shape: out.shape, data: out.dataSync() as Float32Array };
  tf.dispose([out, ...Object.values(inputs)]);
  if (tf.memory().numTensors !== before) throw new Error(`${c.kernel} on ${backend} leaked tensors`);
  return result;
}

/** max |a − b| / max |b| (the scale keeps near-zero entries from dominating). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst / (scale || 1);
}

/** The number of oneDNN primitives created so far whose key starts with `prefix` (proves the native path ran). */
export function primitivesCreated(prefix: string): number {
  return Object.keys(addon.implementations()).filter((k) => k.startsWith(`${prefix},`)).length;
}
