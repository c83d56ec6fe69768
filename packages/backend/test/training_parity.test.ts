import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../src';
import { values } from './parity_helpers';

registerWasmTrainingKernels();
afterAll(async () => {
  await tf.setBackend('cpu');
});

type Builder = () => tf.LayersModel;
const init = (seed: number) => tf.initializers.glorotUniform({ seed });

/** Stem conv 7×7/2 + max pool 3×3/2, a basic block, and a strided block with a 1×1 projection. */
const resnetLike: Builder = () => {
  const input = tf.input({ shape: [32, 32, 3] });
  const conv = (x: tf.SymbolicTensor, filters: number, size: number, strides: number, seed: number) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize: size,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(seed),
      })
      .apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  let x = relu(bn(conv(input, 8, 7, 2, 1)));
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  const block1 = bn(conv(relu(bn(conv(x, 8, 3, 1, 2))), 8, 3, 1, 3));
  x = relu(tf.layers.add().apply([x, block1]) as tf.SymbolicTensor);
  const main = bn(conv(relu(bn(conv(x, 16, 3, 2, 4))), 16, 3, 1, 5));
  const shortcut = bn(conv(x, 16, 1, 2, 6));
  x = relu(tf.layers.add().apply([main, shortcut]) as tf.SymbolicTensor);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  return tf.model({
    inputs: input,
    outputs: tf.layers.dense({ units: 2, kernelInitializer: init(7) }).apply(x) as tf.SymbolicTensor,
  });
};

/** Stem conv 3×3/2, MBConv with 3×3 depthwise + squeeze-excitation + swish, and a 5×5/2 depthwise. */
const efficientnetLike: Builder = () => {
  const input = tf.input({ shape: [32, 32, 3] });
  const swish = (x: tf.SymbolicTensor) =>
    tf.layers.activation({ activation: 'swish' }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  let x = swish(
    bn(
      tf.layers
        .conv2d({
          filters: 8,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          useBias: false,
          kernelInitializer: init(1),
        })
        .apply(input) as tf.SymbolicTensor,
    ),
  );
  const depthwise = (t: tf.SymbolicTensor, size: number, strides: number, seed: number) =>
    tf.layers
      .depthwiseConv2d({
        kernelSize: size,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: init(seed),
      })
      .apply(t) as tf.SymbolicTensor;
  x = swish(bn(depthwise(x, 3, 1, 2)));
  let se = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  se = tf.layers.reshape({ targetShape: [1, 1, 8] }).apply(se) as tf.SymbolicTensor;
  se = tf.layers
    .conv2d({ filters: 2, kernelSize: 1, activation: 'swish', kernelInitializer: init(3) })
    .apply(se) as tf.SymbolicTensor;
  se = tf.layers
    .conv2d({ filters: 8, kernelSize: 1, activation: 'sigmoid', kernelInitializer: init(4) })
    .apply(se) as tf.SymbolicTensor;
  x = tf.layers.multiply().apply([x, se]) as tf.SymbolicTensor;
  x = bn(
    tf.layers
      .conv2d({ filters: 16, kernelSize: 1, useBias: false, kernelInitializer: init(5) })
      .apply(x) as tf.SymbolicTensor,
  );
  x = swish(bn(depthwise(x, 5, 2, 6)));
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  return tf.model({
    inputs: input,
    outputs: tf.layers.dense({ units: 2, kernelInitializer: init(7) }).apply(x) as tf.SymbolicTensor,
  });
};

/** Trains `steps` SGD steps on `backend` from the given weights and returns every weight afterwards. */
async function trainOn(
  backend: string,
  build: Builder,
  initial: Float32Array[],
  steps: number,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = build();
  model.setWeights(initial.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
  const x = tf.tensor(values(4 * 32 * 32 * 3, 9), [4, 32, 32, 3]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
  const optimizer = tf.train.sgd(0.1);
  for (let s = 0; s < steps; s++) {
    tf.dispose(
      optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
        true,
      ) ?? [],
    );
  }
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return weights;
}

describe('training on wasm with our kernels gives the same weights as the cpu backend', () => {
  for (const [name, build] of [
    ['ResNet-style', resnetLike],
    ['EfficientNet-style', efficientnetLike],
  ] as const) {
    it(`${name}: weights after 5 SGD steps agree within 1e-4 of each weight's scale`, async () => {
      await tf.setBackend('cpu');
      const seedModel = build();
      const initial = seedModel.getWeights().map((w) => w.dataSync().slice() as Float32Array);
      seedModel.dispose();
      const onCpu = await trainOn('cpu', build, initial, 5);
      const onWasm = await trainOn('wasm', build, initial, 5);
      let moved = 0;
      onCpu.forEach((reference, i) => {
        const ours = onWasm[i]!;
        let scale = 0;
        let worst = 0;
        for (let j = 0; j < reference.length; j++) {
          scale = Math.max(scale, Math.abs(reference[j]!));
          worst = Math.max(worst, Math.abs(ours[j]! - reference[j]!));
          moved = Math.max(moved, Math.abs(reference[j]! - initial[i]![j]!));
        }
        expect(worst / (scale || 1), `weight ${i}`).toBeLessThan(1e-4);
      });
      expect(moved).toBeGreaterThan(1e-3); // training really changed the weights
    });
  }
});

describe('memory', () => {
  it("numTensors and the wasm heap's buffer count stay flat over 50 training steps", async () => {
    await tf.setBackend('wasm');
    const model = efficientnetLike();
    const resnet = resnetLike();
    const x = tf.tensor(values(2 * 32 * 32 * 3, 4), [2, 32, 32, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2);
    const optimizers = [tf.train.adam(1e-3), tf.train.adam(1e-3)];
    const step = () => {
      [model, resnet].forEach((m, i) => {
        optimizers[i]!.minimize(() =>
          tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor),
        );
      });
    };
    for (let s = 0; s < 5; s++) step();
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let s = 5; s < 50; s++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
    tf.dispose([x, y]);
    for (const o of optimizers) o.dispose();
    model.dispose();
    resnet.dispose();
  });
});
