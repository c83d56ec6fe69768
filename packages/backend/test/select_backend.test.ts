import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend, WASM_TRAINING_KERNELS } from '../src';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** A loader with no tfjs-node packages whose '@qad/backend-onednn' is `onednn`; the rest import for real. */
function loadWithOnednn(onednn: () => unknown) {
  return async (name: string) => {
    if (name.startsWith('@tensorflow/tfjs-node')) throw new Error('Cannot find module');
    if (name === '@qad/backend-onednn') return onednn();
    return import(name);
  };
}

describe('selectBackend', () => {
  it("'auto' without tfjs-node(-gpu) or a built oneDNN addon picks wasm with the training kernels and says why", async () => {
    const selection = await selectBackend('auto', {
      load: (name) => {
        // As @qad/backend-onednn does when libdnnl-dev was not installed at build time.
        if (name === '@qad/backend-onednn') {
          return Promise.resolve({
            registerOnednnBackend: () => {
              throw new Error('@qad/backend-onednn: the native addon is not built (… does not exist).');
            },
          });
        }
        return import(name);
      },
    });
    expect(selection.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.reason).toMatch(/@tensorflow\/tfjs-node-gpu unavailable/);
    expect(selection.reason).toMatch(/@tensorflow\/tfjs-node unavailable/);
    expect(selection.reason).toMatch(
      /@qad\/backend-onednn unavailable \(@qad\/backend-onednn: the native addon is not built/,
    );
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

  it("'auto' picks onednn after the tfjs-node packages when its addon is built", async () => {
    const selection = await selectBackend('auto', {
      // Stand-in for the package: registers an 'onednn' backend.
      load: loadWithOnednn(() => ({
        registerOnednnBackend: () => {
          if (!tf.findBackendFactory('onednn')) tf.registerBackend('onednn', () => tf.findBackend('cpu')!, 0);
          return 'onednn';
        },
      })),
    });
    expect(selection).toMatchObject({ backend: 'onednn', package: '@qad/backend-onednn' });
    expect(tf.getBackend()).toBe('onednn');
    expect(selection.reason).toMatch(/^auto: @tensorflow\/tfjs-node-gpu unavailable .*; using onednn/);
    await tf.setBackend('cpu');
    tf.removeBackend('onednn');
  });

  it("'onednn' with the real package: selects it when the addon loads, else names the fix", async () => {
    let addonBuilt = true;
    try {
      (await import('@qad/backend-onednn')).loadOnednnAddon();
    } catch {
      addonBuilt = false;
    }
    if (addonBuilt) {
      const selection = await selectBackend('onednn');
      expect(selection.backend).toBe('onednn');
      expect(tf.getBackend()).toBe('onednn');
      // It trains: one gradient through a conv and a ReLU, on the oneDNN backend.
      const shape = tf.tidy(() => {
        const g = tf.grad((x: tf.Tensor) =>
          tf.sum(tf.relu(tf.conv2d(x as tf.Tensor4D, tf.ones([3, 3, 2, 4]) as tf.Tensor4D, 1, 'same'))),
        );
        return g(tf.ones([1, 5, 5, 2])).shape;
      });
      expect(shape).toEqual([1, 5, 5, 2]);
    } else {
      await expect(selectBackend('onednn')).rejects.toThrow(
        /Backend 'onednn' is unavailable: .*apt-get install -y libdnnl-dev/,
      );
    }
  });

  it("'auto' passes over an onednn addon that crashes in its self-test: wasm, with a warning", async () => {
    const real = await import('@qad/backend-onednn');
    const cacheDir = mkdtempSync(join(tmpdir(), 'qad-select-'));
    const warnings: string[] = [];
    let registered = false;
    try {
      const selection = await selectBackend('auto', {
        // The real package and its real self-test in a child process, made to crash (test hook).
        load: loadWithOnednn(() => ({
          registerOnednnBackend: () => {
            registered = true;
            return real.registerOnednnBackend();
          },
          selfTestOnednnAddon: () => real.selfTestOnednnAddon({ cacheDir, inject: 'crash' }),
        })),
        warn: (message) => warnings.push(message),
      });
      expect(selection.backend).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(registered).toBe(false);
      expect(selection.reason).toMatch(
        /@qad\/backend-onednn unavailable \(its native addon failed the self-test on this machine: the self-test crashed with SIGSEGV inside the native addon\)/,
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^@qad\/backend: not using @qad\/backend-onednn: its native addon failed the self-test .*SIGSEGV.*Falling back to the slower wasm backend/,
      );
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it("'auto' uses onednn when its self-test passes, and a missing build is no self-test failure", async () => {
    const warnings: string[] = [];
    const standIn = (selfTest: { ok: boolean; missing?: boolean; reason: string }) =>
      loadWithOnednn(() => ({
        registerOnednnBackend: () => {
          if (selfTest.missing) {
            throw new Error('@qad/backend-onednn: the native addon is not built');
          }
          if (!tf.findBackendFactory('onednn')) tf.registerBackend('onednn', () => tf.findBackend('cpu')!, 0);
          return 'onednn';
        },
        selfTestOnednnAddon: () => selfTest,
      }));
    const passed = await selectBackend('auto', {
      load: standIn({ ok: true, reason: 'self-test passed on avx2 (oneDNN 2.6.3)' }),
      warn: (m) => warnings.push(m),
    });
    expect(passed.backend).toBe('onednn');
    await tf.setBackend('cpu');
    tf.removeBackend('onednn');
    const notBuilt = await selectBackend('auto', {
      load: standIn({
        ok: false,
        missing: true,
        reason: 'the addon is not built (/x/onednn_addon.node does not exist)',
      }),
      warn: (m) => warnings.push(m),
    });
    expect(notBuilt.backend).toBe('wasm');
    expect(notBuilt.reason).toMatch(
      /@qad\/backend-onednn unavailable \(@qad\/backend-onednn: the native addon is not built\)/,
    );
    expect(warnings).toEqual([]);
  });

  it("'onednn' by name with an addon that fails its self-test throws the reason and the ways out", async () => {
    await expect(
      selectBackend('onednn', {
        load: async () => ({
          registerOnednnBackend: () => 'onednn',
          selfTestOnednnAddon: () => ({
            ok: false,
            reason: 'the self-test crashed with SIGSEGV inside the native addon',
          }),
        }),
      }),
    ).rejects.toThrow(
      "Backend 'onednn' is unavailable: its native addon failed the self-test on this machine: the self-test crashed with SIGSEGV inside the native addon. Choose 'wasm' or 'cpu', try a lower instruction-set cap (DNNL_MAX_CPU_ISA=AVX2), or set QAD_ONEDNN_SELF_TEST=0 to use it anyway.",
    );
  });

  it("'onednn' without the package throws, naming what to install", async () => {
    await expect(
      selectBackend('onednn', {
        load: async () => {
          throw new Error("Cannot find package '@qad/backend-onednn'");
        },
      }),
    ).rejects.toThrow(
      "Backend 'onednn' is unavailable: Cannot find package '@qad/backend-onednn'. Install @qad/backend-onednn (and libdnnl-dev), or choose 'wasm' or 'cpu'.",
    );
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
