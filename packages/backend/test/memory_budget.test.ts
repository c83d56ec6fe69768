import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { assertFitsWasmHeap, estimateTrainingMemory } from '../src';

function convNet(size: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  const conv = tf.layers
    .conv2d({ filters: 16, kernelSize: 3, padding: 'same', name: 'wide_conv' })
    .apply(input) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(conv) as tf.SymbolicTensor;
  return tf.model({
    inputs: input,
    outputs: tf.layers.dense({ units: 2 }).apply(pooled) as tf.SymbolicTensor,
    name: 'tiny',
  });
}

describe('estimateTrainingMemory', () => {
  it('adds up layer outputs, parameters and the largest im2col workspace as documented', async () => {
    await tf.setBackend('cpu');
    const model = convNet(32);
    const batch = 4;
    const e = estimateTrainingMemory(model, batch);
    // Outputs per sample: input 32·32·3, conv 32·32·16, pooling 16, dense 2.
    const outputs = 32 * 32 * 3 + 32 * 32 * 16 + 16 + 2;
    expect(e.activations).toBe(6 * outputs * batch * 4);
    expect(e.parameters).toBe(16 * model.countParams());
    expect(e.workspace).toBe(9 * 3 * 32 * 32 * batch * 4); // 3×3 taps × 3 channels per output position
    expect(e.workspaceLayer).toBe('wide_conv');
    expect(e.total).toBeCloseTo(1.25 * (e.activations + e.parameters + e.workspace), 6);
    expect(estimateTrainingMemory(model, 2 * batch).activations).toBe(2 * e.activations);
    model.dispose();
  });

  it('rejects a batch size that is not a positive integer', () => {
    const model = convNet(8);
    expect(() => estimateTrainingMemory(model, 0)).toThrow(
      "'batchSize' passed to 'estimateTrainingMemory' must be a positive integer",
    );
    model.dispose();
  });
});

describe('assertFitsWasmHeap', () => {
  it('returns the estimate when the configuration fits', () => {
    const model = convNet(16);
    expect(assertFitsWasmHeap(model, 8).total).toBeLessThan(2 ** 30);
    model.dispose();
  });

  it('fails before the first step, naming the need, the parts and what to change', () => {
    const model = convNet(512);
    let message = '';
    try {
      assertFitsWasmHeap(model, 64, { inputSize: 512 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^Training 'tiny' at 512 px with batch 64 needs about \d+\.\d\d GiB \(activations/,
    );
    expect(message).toMatch(
      /largest kernel workspace .* in 'wide_conv'\), more than the wasm backend's 4\.00 GiB heap/,
    );
    expect(message).toMatch(
      /Lower the batch \(about (\d+) fits\), lower the input resolution, or use a native backend/,
    );
    const fits = Number(/about (\d+) fits/.exec(message)![1]);
    expect(fits).toBeGreaterThan(0);
    expect(() => assertFitsWasmHeap(model, fits)).not.toThrow();
    expect(() => assertFitsWasmHeap(model, fits + 1)).toThrow(/more than the wasm backend/);
    model.dispose();
  });
});
