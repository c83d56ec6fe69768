import { QadAdamUpdate } from '@qad/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Adam } from '../src/adam';
import { OneCycleSchedule } from '../src/one_cycle';

/** Float64 Adam exactly as PyTorch writes it, bias corrections with the step's β₁. */
function referenceAdam(
  w0: number[],
  grads: number[][],
  lrs: number[],
  beta1s: number[],
  decay: number,
  mode: 'l2' | 'decoupled',
): number[] {
  const w = w0.slice();
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  grads.forEach((g, t) => {
    const b1 = beta1s[t]!;
    const lr = lrs[t]!;
    for (let i = 0; i < w.length; i++) {
      let gi = g[i]!;
      if (mode === 'l2') gi += decay * w[i]!;
      else w[i]! *= 1 - lr * decay;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
      const mHat = m[i]! / (1 - b1 ** (t + 1));
      const vHat = v[i]! / (1 - 0.999 ** (t + 1));
      w[i]! -= (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  });
  return w;
}

describe('Adam', () => {
  for (const mode of ['l2', 'decoupled'] as const) {
    it(`matches PyTorch's update over 4 steps with a changing lr and β₁ (${mode} decay)`, () => {
      const w0 = [0.5, -1.25, 2, 0.01];
      const grads = [
        [0.1, -0.2, 0.3, 0],
        [0.05, 0.4, -0.3, 1e-3],
        [-0.2, 0.1, 0.2, -0.5],
        [0.3, -0.3, 0.01, 0.2],
      ];
      const lrs = [0.1, 0.05, 0.02, 0.2];
      const beta1s = [0.95, 0.9, 0.85, 0.88];
      const w = tf.variable(tf.tensor1d(w0), true, `adam_${mode}`);
      const adam = new Adam({ weightDecay: 0.01, decay: mode });
      grads.forEach((g, t) => {
        const gt = tf.tensor1d(g);
        adam.apply([w], { [w.name]: gt }, lrs[t]!, beta1s[t]!);
        gt.dispose();
      });
      const expected = referenceAdam(w0, grads, lrs, beta1s, 0.01, mode);
      Array.from(w.dataSync()).forEach((x, i) => {
        expect(x).toBeCloseTo(expected[i]!, 5);
      });
      expect(adam.step).toBe(4);
      adam.dispose();
      w.dispose();
    });
  }

  it('runs a backend’s fused QadAdamUpdate kernel when the backend registers one, with the same result', () => {
    const w0 = [0.5, -1.25, 2, 0.01];
    const grads = [
      [0.1, -0.2, 0.3, 0],
      [0.05, 0.4, -0.3, 1e-3],
    ];
    let calls = 0;
    // A float64 implementation of the kernel's documented contract, registered on cpu for this test only.
    const kernel: tf.KernelConfig = {
      kernelName: QadAdamUpdate,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        calls++;
        const a = attrs as unknown as Record<string, number>;
        const cpu = backend as unknown as {
          readSync(id: unknown): Float32Array;
          makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo;
        };
        const named = inputs as Record<string, tf.TensorInfo>;
        const [w, g, m, v] = ['w', 'g', 'm', 'v'].map((n) =>
          cpu.readSync(named[n]!.dataId),
        ) as Float32Array[];
        const out = [0, 1, 2].map(() => new Float32Array(w!.length));
        for (let i = 0; i < w!.length; i++) {
          const gi = g![i]! + w![i]! * a.l2Decay!;
          const mi = m![i]! * a.beta1! + gi * (1 - a.beta1!);
          const vi = v![i]! * a.beta2! + gi * gi * (1 - a.beta2!);
          const step = (mi * a.lrOverCorrection1!) / (Math.sqrt(vi / a.correction2!) + a.epsilon!);
          out[0]![i] = w![i]! * a.decoupledFactor! - step;
          out[1]![i] = mi;
          out[2]![i] = vi;
        }
        return out.map((values) =>
          cpu.makeTensorInfo(named.w!.shape, 'float32', values),
        ) as unknown as tf.TensorInfo;
      },
    };
    const run = (mode: 'l2' | 'decoupled', fused: boolean): number[] => {
      if (fused) tf.registerKernel(kernel);
      try {
        const w = tf.variable(tf.tensor1d(w0), true, `adam_fused_${mode}_${fused}`);
        const adam = new Adam({ weightDecay: 0.01, decay: mode });
        const before = calls;
        grads.forEach((g, t) => {
          const gt = tf.tensor1d(g);
          adam.apply([w], { [w.name]: gt }, 0.1 / (t + 1), 0.9);
          gt.dispose();
        });
        expect(calls - before).toBe(fused ? grads.length : 0);
        const result = Array.from(w.dataSync());
        adam.dispose();
        w.dispose();
        return result;
      } finally {
        if (fused) tf.unregisterKernel(QadAdamUpdate, 'cpu');
      }
    };
    for (const mode of ['l2', 'decoupled'] as const) {
      const chain = run(mode, false);
      const fused = run(mode, true);
      fused.forEach((x, i) => {
        expect(x).toBeCloseTo(chain[i]!, 6);
      });
      expect(fused).not.toEqual(w0);
    }
  });

  it('restores its state so that training continues bit-exactly', () => {
    const make = () => tf.variable(tf.tensor1d([1, 2, 3]), true, `adam_state_${Math.random()}`);
    const a = make();
    const adamA = new Adam({ weightDecay: 1e-2 });
    const g = tf.tensor1d([0.3, -0.1, 0.7]);
    for (let t = 0; t < 2; t++) adamA.apply([a], { [a.name]: g }, 0.1, 0.9);
    const state = adamA.getState();
    const b = make();
    b.assign(a);
    const adamB = new Adam({ weightDecay: 1e-2 });
    adamB.setState({
      step: state.step,
      firstMoments: { [b.name]: state.firstMoments[a.name]! },
      secondMoments: { [b.name]: state.secondMoments[a.name]! },
    });
    adamA.apply([a], { [a.name]: g }, 0.1, 0.9);
    adamB.apply([b], { [b.name]: g }, 0.1, 0.9);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([g, a, b, ...Object.values(state.firstMoments), ...Object.values(state.secondMoments)]);
    adamA.dispose();
    adamB.dispose();
  });

  it('frees its moments and creates no tensors per step after the first', () => {
    const w = tf.variable(tf.ones([3, 3]), true, 'adam_leak');
    const g = tf.onesLike(w);
    const adam = new Adam();
    adam.apply([w], { [w.name]: g }, 0.1, 0.9);
    const before = tf.memory().numTensors;
    for (let t = 0; t < 5; t++) adam.apply([w], { [w.name]: g }, 0.1, 0.9);
    expect(tf.memory().numTensors).toBe(before);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    tf.dispose([w, g]);
  });

  it('rejects bad hyper-parameters with the name of the option', () => {
    expect(() => new Adam({ weightDecay: -1 })).toThrow('Adam: weightDecay must be ≥ 0, got -1.');
    const adam = new Adam();
    expect(() => adam.apply([], {}, Number.NaN, 0.9)).toThrow('Adam: learning rate must be ≥ 0, got NaN.');
    expect(() => adam.apply([], {}, 0.1, 1)).toThrow('Adam: beta1 must be in [0, 1), got 1.');
  });
});

describe('OneCycleSchedule', () => {
  it("follows PyTorch OneCycleLR's cosine phases (hand-computed for 10 steps, max 1)", () => {
    const s = new OneCycleSchedule({ maxLearningRate: 1, totalSteps: 10 });
    // Phase 1 ends at step 0.3·10 − 1 = 2: lr from 1/25 to 1, β₁ from 0.95 to 0.85.
    expect(s.at(0).learningRate).toBeCloseTo(0.04, 12);
    expect(s.at(1).learningRate).toBeCloseTo(1 + (0.04 - 1) / 2, 12); // cos(π/2) = 0
    expect(s.at(1).beta1).toBeCloseTo(0.9, 12);
    expect(s.at(2).learningRate).toBeCloseTo(1, 12);
    expect(s.at(2).beta1).toBeCloseTo(0.85, 12);
    // Phase 2 over steps 2..9: at step 5.5 it would be halfway; step 9 is the final lr 0.04/1e4.
    const pct = (6 - 2) / 7;
    expect(s.at(6).learningRate).toBeCloseTo(4e-6 + ((1 - 4e-6) / 2) * (Math.cos(Math.PI * pct) + 1), 12);
    expect(s.at(9).learningRate).toBeCloseTo(4e-6, 12);
    expect(s.at(9).beta1).toBeCloseTo(0.95, 12);
    expect(s.at(50).learningRate).toBeCloseTo(4e-6, 12);
  });

  it('keeps β₁ at 0.9 without momentum cycling and validates its options', () => {
    const s = new OneCycleSchedule({ maxLearningRate: 2e-4, totalSteps: 100, cycleMomentum: false });
    expect(s.at(40).beta1).toBe(0.9);
    expect(() => new OneCycleSchedule({ maxLearningRate: 0, totalSteps: 10 })).toThrow(
      'OneCycleSchedule: maxLearningRate must be > 0, got 0.',
    );
    expect(() => new OneCycleSchedule({ maxLearningRate: 1, totalSteps: 1 })).toThrow(
      'OneCycleSchedule: totalSteps must be an integer ≥ 2, got 1.',
    );
  });
});
