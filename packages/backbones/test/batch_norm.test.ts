import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAIN_KERNELS, batchNormTraining, LeanBatchNormalization } from '../src';

function seeded(shape: number[], seed: number, scale = 1, shift = 0): tf.Tensor {
  let s = seed >>> 0;
  const n = tf.util.sizeFromShape(shape);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    v[i] = (s / 2 ** 32 - 0.5) * 2 * scale + shift;
  }
  return tf.tensor(v, shape);
}

function maxRelError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / (tf.max(tf.abs(b)).dataSync()[0]! || 1));
}

/** A one-layer model applying `layer` in training mode, and a loss that weights every output differently. */
function lossOf(layer: tf.layers.Layer, x: tf.Tensor, weights: tf.Tensor): () => tf.Scalar {
  return () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, weights));
}

/** Frees a layer applied only to concrete tensors (`Layer.dispose` needs a symbolic application). */
function release(layer: tf.layers.Layer): void {
  for (const w of layer.weights) (w as unknown as { val: tf.Variable }).val.dispose();
}

describe('LeanBatchNormalization', () => {
  const shape = [3, 5, 4, 6];

  function pair() {
    const reference = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
    const lean = new LeanBatchNormalization({ momentum: 0.9, epsilon: 1e-5 });
    reference.build(shape);
    lean.build(shape);
    // Non-trivial γ and β, identical in both.
    const gamma = seeded([6], 3, 0.5, 1);
    const beta = seeded([6], 4, 0.5);
    reference.setWeights([gamma, beta, ...reference.getWeights().slice(2)]);
    lean.setWeights([gamma, beta, ...lean.getWeights().slice(2)]);
    tf.dispose([gamma, beta]);
    return { reference, lean };
  }

  it('is a tfjs-layers BatchNormalization (same class name, same weights)', () => {
    const { reference, lean } = pair();
    expect(lean.getClassName()).toBe('BatchNormalization');
    expect(lean.getWeights().map((w) => w.shape)).toEqual(reference.getWeights().map((w) => w.shape));
    release(reference);
    release(lean);
  });

  it('gives the same training output, moving statistics and gradients as tfjs-layers (≤ 1e-5 / 1e-4)', () => {
    const { reference, lean } = pair();
    // An offset mean and a spread unlike 1 make the normalisation do real work.
    const x = seeded(shape, 7, 3, 2);
    const w = seeded(shape, 8);
    const yRef = reference.apply(x, { training: true }) as tf.Tensor;
    const yLean = lean.apply(x, { training: true }) as tf.Tensor;
    expect(maxRelError(yLean, yRef)).toBeLessThanOrEqual(1e-5);
    // Moving mean and variance after one step (weights 2 and 3).
    for (const i of [2, 3]) {
      expect(maxRelError(lean.getWeights()[i]!, reference.getWeights()[i]!)).toBeLessThanOrEqual(1e-6);
    }
    const xv = tf.variable(x);
    // Gradients with respect to the input and to γ, β through each layer's own variables.
    const refGrads = tf.variableGrads(lossOf(reference, xv, w), [
      xv,
      ...(reference.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val) as tf.Variable[]),
    ]);
    const leanGrads = tf.variableGrads(lossOf(lean, xv, w), [
      xv,
      ...(lean.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val) as tf.Variable[]),
    ]);
    const names = Object.keys(refGrads.grads);
    const leanNames = Object.keys(leanGrads.grads);
    expect(leanNames.length).toBe(3);
    for (let i = 0; i < 3; i++) {
      expect(
        maxRelError(leanGrads.grads[leanNames[i]!]!, refGrads.grads[names[i]!]!),
        names[i],
      ).toBeLessThanOrEqual(1e-4);
    }
    tf.dispose([x, w, xv, yRef, yLean, refGrads.value, leanGrads.value]);
    tf.dispose([...Object.values(refGrads.grads), ...Object.values(leanGrads.grads)]);
    release(reference);
    release(lean);
  });

  it('input gradient matches central differences of the float64 definition', () => {
    const dims = [2, 3, 1, 2];
    const x = seeded(dims, 11, 2, 1);
    const w = seeded(dims, 12);
    const gamma = tf.tensor1d([1.5, 0.7]);
    const beta = tf.tensor1d([0.2, -0.3]);
    const eps = 1e-3;
    const grad = tf.grad((xi: tf.Tensor) => {
      const [y, mean, variance] = batchNormTraining(xi, gamma, beta, eps);
      tf.dispose([mean, variance]);
      return tf.sum(tf.mul(y, w));
    })(x);
    const xs = Array.from(x.dataSync(), Number);
    const ws = Array.from(w.dataSync(), Number);
    const g = [1.5, 0.7];
    const b = [0.2, -0.3];
    const loss = (v: number[]) => {
      let total = 0;
      for (let c = 0; c < 2; c++) {
        const idx = v.map((_, i) => i).filter((i) => i % 2 === c);
        const mu = idx.reduce((s, i) => s + v[i]!, 0) / idx.length;
        const va = idx.reduce((s, i) => s + (v[i]! - mu) ** 2, 0) / idx.length;
        for (const i of idx) total += ws[i]! * (g[c]! * ((v[i]! - mu) / Math.sqrt(va + eps)) + b[c]!);
      }
      return total;
    };
    const h = 1e-4;
    const numeric = xs.map((_, i) => {
      const up = xs.slice();
      const down = xs.slice();
      up[i]! += h;
      down[i]! -= h;
      return (loss(up) - loss(down)) / (2 * h);
    });
    const analytic = Array.from(grad.dataSync());
    const scale = Math.max(...numeric.map(Math.abs));
    analytic.forEach((a, i) => {
      expect(Math.abs(a - numeric[i]!) / scale).toBeLessThan(1e-3);
    });
    tf.dispose([x, w, gamma, beta, grad]);
  });

  it('leaves no tensor behind in training steps, and inference is the parent’s code', () => {
    const { lean } = pair();
    const x = seeded(shape, 21, 2, 1);
    const before = tf.memory().numTensors;
    const optimizer = tf.train.sgd(0.1);
    for (let i = 0; i < 3; i++) {
      tf.dispose(
        optimizer.minimize(() => tf.sum(tf.square(lean.apply(x, { training: true }) as tf.Tensor)), true) ??
          [],
      );
    }
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Inference normalises with the moving statistics: (x − m)/√(v + ε)·γ + β, computed here by hand.
    const [gamma, beta, mean, variance] = lean.getWeights();
    const expected = tf.tidy(() =>
      tf.add(tf.mul(tf.div(tf.sub(x, mean!), tf.sqrt(tf.add(variance!, 1e-5))), gamma!), beta!),
    );
    const y = lean.apply(x, { training: false }) as tf.Tensor;
    expect(maxRelError(y, expected)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, expected, y]);
    release(lean);
  });
});

describe('batchNormTraining with a backend that fuses it', () => {
  it('runs the backend’s QadBatchNormTrainForward/Backward kernels and gets the same output and gradients', () => {
    const calls = { forward: 0, backward: 0 };
    type Info = tf.TensorInfo;
    const cpu = () =>
      tf.backend() as unknown as {
        readSync(id: unknown): Float32Array;
        makeTensorInfo(s: number[], d: string, v: Float32Array): Info;
      };
    // Float64 implementations of the documented contract, registered on cpu for this test only.
    const forward: tf.KernelConfig = {
      kernelName: BATCH_NORM_TRAIN_KERNELS.forward,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs }) => {
        calls.forward++;
        const { x, gamma, beta } = inputs as Record<string, Info>;
        const [xs, gs, bs] = [x!, gamma!, beta!].map((t) => cpu().readSync(t.dataId));
        const c = gs!.length;
        const rows = xs!.length / c;
        const mean = new Float32Array(c);
        const variance = new Float32Array(c);
        for (let k = 0; k < c; k++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += xs![r * c + k]!;
          const m = s / rows;
          let q = 0;
          for (let r = 0; r < rows; r++) q += (xs![r * c + k]! - m) ** 2;
          mean[k] = m;
          variance[k] = q / rows;
        }
        const eps = (attrs as { epsilon: number }).epsilon;
        const y = xs!.map(
          (v, i) => ((v - mean[i % c]!) / Math.sqrt(variance[i % c]! + eps)) * gs![i % c]! + bs![i % c]!,
        );
        return [
          cpu().makeTensorInfo(x!.shape, 'float32', y),
          cpu().makeTensorInfo([c], 'float32', mean),
          cpu().makeTensorInfo([c], 'float32', variance),
        ] as unknown as Info;
      },
    };
    const backward: tf.KernelConfig = {
      kernelName: BATCH_NORM_TRAIN_KERNELS.backward,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs }) => {
        calls.backward++;
        const { dy, x, mean, variance, gamma } = inputs as Record<string, Info>;
        const [dys, xs, ms, vs, gs] = [dy!, x!, mean!, variance!, gamma!].map((t) =>
          cpu().readSync(t.dataId),
        );
        const c = gs!.length;
        const n = xs!.length / c;
        const eps = (attrs as { epsilon: number }).epsilon;
        const xhat = xs!.map((v, i) => (v - ms![i % c]!) / Math.sqrt(vs![i % c]! + eps));
        const dBeta = new Float32Array(c);
        const dGamma = new Float32Array(c);
        dys!.forEach((d, i) => {
          dBeta[i % c]! += d;
          dGamma[i % c]! += d * xhat[i]!;
        });
        const dx = dys!.map((d, i) => {
          const k = i % c;
          return (gs![k]! / Math.sqrt(vs![k]! + eps)) * (d - dBeta[k]! / n - (xhat[i]! * dGamma[k]!) / n);
        });
        return [
          cpu().makeTensorInfo(x!.shape, 'float32', dx),
          cpu().makeTensorInfo([c], 'float32', dGamma),
          cpu().makeTensorInfo([c], 'float32', dBeta),
        ] as unknown as Info;
      },
    };
    const x = seeded([4, 3, 5, 6], 31, 2, 1);
    const w = seeded([4, 3, 5, 6], 32);
    const gamma = seeded([6], 33, 0.5, 1);
    const beta = seeded([6], 34, 0.5);
    const run = () =>
      tf.tidy(() => {
        const { value, grads } = tf.valueAndGrads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const [y, mean, variance] = batchNormTraining(xi, g, b, 1e-3);
          tf.dispose([mean, variance]);
          return tf.sum(tf.mul(y, w));
        })([x, gamma, beta]);
        return [value, ...grads].map((t) => t.dataSync() as Float32Array);
      });
    const viaChain = run();
    tf.registerKernel(forward);
    tf.registerKernel(backward);
    let viaKernels: Float32Array[];
    try {
      viaKernels = run();
    } finally {
      tf.unregisterKernel(BATCH_NORM_TRAIN_KERNELS.forward, 'cpu');
      tf.unregisterKernel(BATCH_NORM_TRAIN_KERNELS.backward, 'cpu');
    }
    expect(calls).toEqual({ forward: 1, backward: 1 });
    viaKernels.forEach((got, i) => {
      const want = viaChain[i]!;
      const scale = Math.max(...Array.from(want, Math.abs));
      got.forEach((v, j) => {
        expect(Math.abs(v - want[j]!) / scale).toBeLessThan(1e-5);
      });
    });
    tf.dispose([x, w, gamma, beta]);
  });
});
