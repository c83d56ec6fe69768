import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { kernelRoutes, resetKernelRoutes } from '../src';
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

/**
 * A ResNet-style tfjs-layers model: zero padding, valid convs, batch norm in training mode, ReLU, max
 * pooling, a residual add, global average pooling and a dense head — every kernel the native loops cover.
 */
function residualModel(): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3] });
  let h = tf.layers.zeroPadding2d({ padding: 1 }).apply(input) as tf.SymbolicTensor;
  h = tf.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      useBias: false,
      kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
    })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(h) as tf.SymbolicTensor;
  let branch = tf.layers.zeroPadding2d({ padding: 1 }).apply(h) as tf.SymbolicTensor;
  branch = tf.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      useBias: false,
      kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }),
    })
    .apply(branch) as tf.SymbolicTensor;
  branch = tf.layers.batchNormalization().apply(branch) as tf.SymbolicTensor;
  h = tf.layers.add().apply([h, branch]) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

async function trainResidual(backend: string, steps: number) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const model = residualModel();
  const x = tf.tensor(values(6 * 12 * 12 * 3, 77), [6, 12, 12, 3]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0], 'int32'), 2));
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor),
      true,
    );
    losses.push(loss!.dataSync()[0]!);
    loss!.dispose();
  }
  // Trainable weights and the batch-norm moving statistics.
  const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
  optimizer.dispose();
  model.dispose();
  tf.dispose([x, labels]);
  expect(tf.memory().numTensors).toBe(before);
  return { weights, losses };
}

describe('training a residual tfjs-layers model on onednn', () => {
  it('matches the cpu backend after 5 Adam steps, with every overridden kernel on the native path', async () => {
    const cpu = await trainResidual('cpu', 5);
    resetKernelRoutes();
    const onednn = await trainResidual(ONEDNN, 5);
    await tf.setBackend('cpu');
    expect(onednn.weights.length).toBe(cpu.weights.length);
    cpu.weights.forEach((w, i) => {
      expect(relativeError(onednn.weights[i]!, w), `weight ${i}`).toBeLessThanOrEqual(1e-4);
    });
    expect(relativeError(onednn.losses, cpu.losses)).toBeLessThanOrEqual(1e-4);
    expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]!);
    const routes = kernelRoutes();
    for (const k of [
      tf.PadV2,
      tf.Slice,
      tf.FusedBatchNorm,
      tf.Mean,
      tf.Sum,
      tf.MaxPool,
      tf.MaxPoolGrad,
      tf.Relu,
    ]) {
      expect(routes[k]?.native ?? 0, k).toBeGreaterThan(0);
    }
    // Float32 element-wise arithmetic in the training graph never leaves the native path.
    for (const k of [tf.Multiply, tf.Sub, tf.Add, tf.RealDiv]) expect(routes[k]?.fallback ?? 0, k).toBe(0);
  });
});
