import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SWISH_KERNELS, Swish, swish } from '../src';
import { maxRelError, values } from './helpers';

describe('swish', () => {
  const x = () => tf.tensor(values(2 * 5 * 5 * 4, 3, 6), [2, 5, 5, 4]);
  const w = () => tf.tensor(values(2 * 5 * 5 * 4, 4, 1), [2, 5, 5, 4]);

  it('equals tfjs-layers’ swish activation, forward and gradient (≤ 1e-6)', () => {
    const [xt, wt] = [x(), w()];
    const layers = tf.layers.activation({ activation: 'swish' });
    const loss = (f: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(f(t), wt));
    const [yRef, yOurs] = [layers.apply(xt) as tf.Tensor, swish(xt)];
    const [gRef, gOurs] = [tf.grad(loss((t) => layers.apply(t) as tf.Tensor))(xt), tf.grad(loss(swish))(xt)];
    expect(maxRelError(yOurs.dataSync(), yRef.dataSync())).toBeLessThanOrEqual(1e-6);
    expect(maxRelError(gOurs.dataSync(), gRef.dataSync())).toBeLessThanOrEqual(1e-6);
    tf.dispose([xt, wt, yRef, yOurs, gRef, gOurs]);
  });

  it('gradient matches central differences of x·σ(x) in float64', () => {
    const xs = [-6, -2.5, -0.3, 0, 0.4, 1.7, 5];
    const g = tf.grad((t: tf.Tensor) => tf.sum(swish(t)))(tf.tensor1d(xs));
    const f = (v: number) => v / (1 + Math.exp(-v));
    const h = 1e-5;
    Array.from(g.dataSync()).forEach((got, i) => {
      const want = (f(xs[i]! + h) - f(xs[i]! - h)) / (2 * h);
      expect(Math.abs(got - want)).toBeLessThan(1e-5);
    });
    g.dispose();
  });

  it('runs a backend’s QadSwish/QadSwishGrad kernels when registered, with the same result', () => {
    const calls = { forward: 0, backward: 0 };
    const cpu = () =>
      tf.backend() as unknown as {
        readSync(id: unknown): Float32Array;
        makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo;
      };
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    // Float64 implementations of the documented contract, registered on cpu for this test only.
    const kernels: tf.KernelConfig[] = [
      {
        kernelName: SWISH_KERNELS.forward,
        backendName: 'cpu',
        kernelFunc: ({ inputs }) => {
          calls.forward++;
          const t = (inputs as Record<string, tf.TensorInfo>).x!;
          return cpu().makeTensorInfo(
            t.shape,
            'float32',
            cpu()
              .readSync(t.dataId)
              .map((v) => v * sigma(v)),
          );
        },
      },
      {
        kernelName: SWISH_KERNELS.backward,
        backendName: 'cpu',
        kernelFunc: ({ inputs }) => {
          calls.backward++;
          const { dy, x: t } = inputs as Record<string, tf.TensorInfo>;
          const dys = cpu().readSync(dy!.dataId);
          const out = cpu()
            .readSync(t!.dataId)
            .map((v, i) => dys[i]! * sigma(v) * (1 + v * (1 - sigma(v))));
          return cpu().makeTensorInfo(t!.shape, 'float32', out);
        },
      },
    ];
    const [xt, wt] = [x(), w()];
    const run = () =>
      tf.tidy(() => {
        const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(swish(t), wt)))([xt]);
        return [value, grads[0]!].map((t) => t.dataSync() as Float32Array);
      });
    const viaChain = run();
    for (const k of kernels) tf.registerKernel(k);
    let viaKernels: Float32Array[];
    try {
      viaKernels = run();
    } finally {
      for (const k of kernels) tf.unregisterKernel(k.kernelName, 'cpu');
    }
    expect(calls).toEqual({ forward: 1, backward: 1 });
    viaKernels.forEach((got, i) => {
      expect(maxRelError(got, viaChain[i]!)).toBeLessThanOrEqual(1e-5);
    });
    tf.dispose([xt, wt]);
  });

  it('the Swish layer serialises under its own name and leaves no tensors behind', () => {
    const layer = new Swish({ name: 'act' });
    expect(layer.getClassName()).toBe('QadSwish');
    const xt = x();
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(xt);
    });
    expect(tf.memory().numTensors).toBe(before);
    xt.dispose();
  });
});
