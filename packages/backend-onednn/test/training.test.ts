import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { addon, ONEDNN, relativeError, values } from './helpers';

const SHAPES: Record<string, number[]> = {
  w1: [3, 3, 3, 8],
  b1: [8],
  dw: [3, 3, 8, 2],
  w2: [1, 1, 16, 16],
  w3: [3, 3, 16, 8],
  dense: [8, 2],
};

/** A few SGD steps of a small convnet (fused conv, depthwise, 1×1, strided conv, dense) on `backend`. */
async function train(
  backend: string,
  steps: number,
): Promise<{ weights: Record<string, Float32Array>; losses: number[] }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const vars: Record<string, tf.Variable> = {};
  let seed = 100;
  for (const [name, shape] of Object.entries(SHAPES)) {
    const scale = name.startsWith('b') ? 0.1 : 0.5;
    const init = values(tf.util.sizeFromShape(shape), seed++).map((v) => v * scale);
    const initial = tf.tensor(init, shape);
    vars[name] = tf.variable(initial, true, `${backend}_${name}`);
    initial.dispose();
  }
  const x = tf.tensor(values(4 * 9 * 9 * 3, 7), [4, 9, 9, 3]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2));
  const optimizer = tf.train.sgd(0.1);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => {
      const v = vars as Record<keyof typeof SHAPES, tf.Variable>;
      let h = tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: v.w1 as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias: v.b1,
        activation: 'relu',
      });
      h = tf.depthwiseConv2d(h, v.dw as tf.Tensor4D, 2, 'same');
      h = tf.relu(tf.conv2d(h, v.w2 as tf.Tensor4D, 1, 'valid'));
      h = tf.conv2d(h, v.w3 as tf.Tensor4D, 2, 'valid');
      const logits = tf.matMul(tf.mean(h, [1, 2]), v.dense as tf.Tensor2D);
      return tf.losses.softmaxCrossEntropy(labels, logits);
    }, true);
    losses.push(loss!.dataSync()[0]!);
    loss!.dispose();
  }
  const weights: Record<string, Float32Array> = {};
  for (const [name, v] of Object.entries(vars)) weights[name] = v.dataSync() as Float32Array;
  optimizer.dispose();
  tf.dispose([x, labels, ...Object.values(vars)]);
  expect(tf.memory().numTensors).toBe(before);
  return { weights, losses };
}

describe('training on onednn', () => {
  it('gives the same weights as the cpu backend after SGD steps (≤ 1e-4 relative)', async () => {
    addon.clearCache();
    const cpu = await train('cpu', 4);
    const onednn = await train(ONEDNN, 4);
    await tf.setBackend('cpu');
    for (const name of Object.keys(SHAPES)) {
      expect(relativeError(onednn.weights[name]!, cpu.weights[name]!), name).toBeLessThanOrEqual(1e-4);
    }
    expect(relativeError(onednn.losses, cpu.losses)).toBeLessThanOrEqual(1e-4);
    // The model learns, so the comparison is not between two frozen copies of the initial weights.
    expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]!);
    // Every convolution pass, and the dense layer's matmul, ran in oneDNN. (Under a gradient tape tfjs
    // unfuses conv + bias + relu, so training never reaches FusedConv2D; parity.test.ts covers it.)
    const kinds = new Set(Object.keys(addon.implementations()).map((k) => k.split(',')[0]));
    for (const kind of ['convf', 'convbd', 'convbw', 'matmul']) expect(kinds, kind).toContain(kind);
  });
});
