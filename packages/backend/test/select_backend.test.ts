import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend, WASM_TRAINING_KERNELS } from '../src';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('selectBackend', () => {
  it("'auto' without tfjs-node(-gpu) installed picks wasm with the training kernels and says why", async () => {
    const selection = await selectBackend('auto');
    expect(selection.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.reason).toMatch(/@tensorflow\/tfjs-node-gpu unavailable/);
    expect(selection.reason).toMatch(/@tensorflow\/tfjs-node unavailable/);
    for (const kernel of WASM_TRAINING_KERNELS) expect(tf.getKernel(kernel, 'wasm')).toBeDefined();
  });

  it("'auto' prefers the native backend when its package loads", async () => {
    const loaded: string[] = [];
    const selection = await selectBackend('auto', {
      load: async (name) => {
        loaded.push(name);
        if (name === '@tensorflow/tfjs-node-gpu') throw new Error('Cannot find module');
        // Stand-in for what importing @tensorflow/tfjs-node does: register a 'tensorflow' backend.
        if (name === '@tensorflow/tfjs-node' && !tf.findBackendFactory('tensorflow')) {
          tf.registerBackend('tensorflow', () => tf.findBackend('cpu')!, 0);
        }
      },
    });
    expect(selection).toMatchObject({ backend: 'tensorflow', package: '@tensorflow/tfjs-node' });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(loaded).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    tf.removeBackend('tensorflow');
  });

  it("'tensorflow' without tfjs-node(-gpu) throws, naming what is missing and what to do", async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      /Backend 'tensorflow' is unavailable: @tensorflow\/tfjs-node-gpu unavailable .*; @tensorflow\/tfjs-node unavailable .*Install .* or choose 'wasm' or 'cpu'/,
    );
  });

  it("'wasm' throws a clear error when the wasm package cannot be loaded", async () => {
    await expect(
      selectBackend('wasm', {
        load: async () => {
          throw new Error('Cannot find module @tensorflow/tfjs-backend-wasm');
        },
      }),
    ).rejects.toThrow("Backend 'wasm' is unavailable: Cannot find module @tensorflow/tfjs-backend-wasm.");
  });

  it("'auto' falls back to cpu when wasm fails too", async () => {
    const selection = await selectBackend('auto', {
      load: async (name) => {
        if (name !== '@tensorflow/tfjs-backend-cpu') throw new Error(`no ${name}`);
      },
    });
    expect(selection.backend).toBe('cpu');
    expect(selection.reason).toMatch(/tfjs-backend-wasm unavailable \(no @tensorflow\/tfjs-backend-wasm\)/);
  });

  it("'cpu' selects the pure-JS backend; unknown names are rejected", async () => {
    expect((await selectBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    // @ts-expect-error: a name from an untyped command line
    await expect(selectBackend('gpu')).rejects.toThrow("Unknown backend 'gpu'");
  });
});
