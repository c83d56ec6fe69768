import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AdamOptimizer } from '../src/adam_optimizer';

/** PyTorch's Adam on f(w) = ½·Σ w², written out in float64: the gradient is w itself. */
function reference(
  w0: number[],
  steps: number,
  lr: number,
  beta1: number,
  beta2 = 0.999,
  eps = 1e-8,
): number[] {
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < w.length; i++) {
      const g = w[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      w[i]! -= (lr * (m[i]! / (1 - beta1 ** t))) / (Math.sqrt(v[i]! / (1 - beta2 ** t)) + eps);
    }
  }
  return w;
}

describe('AdamOptimizer (a tf.Optimizer over the fused Adam)', () => {
  it('optimizer.minimize follows PyTorch’s Adam to float32 rounding, and leaks nothing per step', () => {
    const w0 = [1, -0.5, 2, 0.25];
    const w = tf.variable(tf.tensor1d(w0), true, 'adam_opt_w');
    const optimizer = new AdamOptimizer({ learningRate: 0.1, beta1: 0.8 });
    const loss = () => tf.mul(0.5, tf.sum(tf.square(w))) as tf.Scalar;
    optimizer.minimize(loss);
    const after = tf.memory().numTensors;
    for (let i = 1; i < 5; i++) optimizer.minimize(loss);
    expect(tf.memory().numTensors).toBe(after);
    const want = reference(w0, 5, 0.1, 0.8);
    Array.from(w.dataSync()).forEach((got, i) => {
      expect(got).toBeCloseTo(want[i]!, 5);
    });
    expect(optimizer.iterations).toBe(5);
    optimizer.dispose();
    w.dispose();
  });

  it('drives model.compile / trainOnBatch, and its weights restore the run exactly', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: tf.initializers.ones() })],
    });
    const optimizer = new AdamOptimizer({ learningRate: 0.05 });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 1],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const first = (await model.trainOnBatch(x, y)) as number;
    await model.trainOnBatch(x, y);
    const weightsAt2 = model.getWeights().map((w) => w.clone());
    const stateAt2 = await optimizer.getWeights();
    expect(stateAt2[0]!.name).toBe('iter');
    expect(stateAt2.filter((s) => s.name.endsWith('/m'))).toHaveLength(2);
    const loss3 = (await model.trainOnBatch(x, y)) as number;
    const weightsAt3 = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(loss3).toBeLessThan(first);
    // Back to step 2 with a fresh optimizer given the saved state: step 3 again, to the bit.
    model.setWeights(weightsAt2);
    const restored = new AdamOptimizer({ learningRate: 0.05 });
    await restored.setWeights(stateAt2);
    expect(restored.iterations).toBe(2);
    model.compile({ optimizer: restored, loss: 'meanSquaredError' });
    expect((await model.trainOnBatch(x, y)) as number).toBe(loss3);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsAt3);
    tf.dispose([x, y, ...weightsAt2, ...stateAt2.map((s) => s.tensor)]);
    optimizer.dispose();
    restored.dispose();
    model.dispose();
  });

  it('rejects a bad learning rate or β₁', () => {
    expect(() => new AdamOptimizer({ learningRate: -1 })).toThrow(/learningRate must be ≥ 0/);
    expect(() => new AdamOptimizer({ beta1: 1 })).toThrow(/beta1 must be in \[0, 1\)/);
  });
});
