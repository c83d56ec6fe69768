import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import { LeanBatchNormalization, optimizeForTraining, PaddedConv2D, Swish } from '../src';
import { maxRelError } from './helpers';

beforeAll(async () => {
  await selectBackend('wasm');
});

type T = tf.SymbolicTensor;

/**
 * A stock model as a user or a Keras converter writes it: pad → conv → BN → ReLU, pad → depthwise → BN, and
 * two pads that must stay (one feeds two layers, one feeds a conv with a bias).
 */
function stockModel(seed: number): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const input = tf.input({ shape: [12, 12, 3] });
  let x = tf.layers.zeroPadding2d({ padding: 1, name: 'pad1' }).apply(input) as T;
  x = tf.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      useBias: false,
      kernelInitializer: init(1),
      name: 'conv1',
    })
    .apply(x) as T;
  x = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9, name: 'bn1' }).apply(x) as T;
  x = tf.layers.reLU({ name: 'relu1' }).apply(x) as T;
  let d = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 2],
        [0, 1],
      ],
      name: 'pad2',
    })
    .apply(x) as T;
  d = tf.layers
    .depthwiseConv2d({ kernelSize: 3, useBias: false, depthwiseInitializer: init(2), name: 'dw' })
    .apply(d) as T;
  d = tf.layers.batchNormalization({ name: 'bn2' }).apply(d) as T;
  d = tf.layers.activation({ activation: 'swish', name: 'swish2' }).apply(d) as T;
  // Shared pad: feeds a conv and the add's other branch through a crop, so it cannot be folded.
  const shared = tf.layers.zeroPadding2d({ padding: 1, name: 'pad3' }).apply(d) as T;
  const a = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, useBias: false, kernelInitializer: init(3), name: 'conv_a' })
    .apply(shared) as T;
  const b = tf.layers.cropping2D({ cropping: 1, name: 'crop' }).apply(shared) as T;
  let y = tf.layers.add({ name: 'add' }).apply([a, b]) as T;
  y = tf.layers.zeroPadding2d({ padding: 1, name: 'pad4' }).apply(y) as T;
  y = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, useBias: true, kernelInitializer: init(4), name: 'conv_bias' })
    .apply(y) as T;
  y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as T;
  const out = tf.layers.dense({ units: 2, kernelInitializer: init(5), name: 'fc' }).apply(y) as T;
  return tf.model({ inputs: input, outputs: out, name: 'stock' });
}

/** Logits and every weight's gradient of a cross-entropy, in training mode. */
function trainingPass(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor) {
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    weights,
  );
  const out = { loss: value.dataSync()[0]!, grads: weights.map((w) => grads[w.name]!.dataSync()) };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('optimizeForTraining', () => {
  it('swaps every BatchNormalization for the lean one and swish activations for Swish, and folds exactly the pads that only feed a plain conv', async () => {
    const stock = stockModel(1);
    const { model, report } = await optimizeForTraining(stock);
    expect(report.batchNorms).toEqual(['bn1', 'bn2']);
    expect(report.foldedPaddings).toEqual(['conv1', 'dw']);
    expect(report.swishes).toEqual(['swish2']);
    expect(model.getLayer('swish2')).toBeInstanceOf(Swish);
    expect(model.getLayer('bn1')).toBeInstanceOf(LeanBatchNormalization);
    expect(model.getLayer('conv1')).toBeInstanceOf(PaddedConv2D);
    expect((model.getLayer('dw') as PaddedConv2D).padding).toEqual([
      [1, 2],
      [0, 1],
    ]);
    const names = model.layers.map((l) => l.name);
    expect(names).not.toContain('pad1');
    expect(names).not.toContain('pad2');
    expect(names).toContain('pad3');
    expect(names).toContain('pad4');
    expect(model.countParams()).toBe(stock.countParams());
    stock.dispose();
    model.dispose();
  });

  it('computes the same function: inference logits, training loss and every gradient (1e-5)', async () => {
    const stock = stockModel(2);
    const { model } = await optimizeForTraining(stock);
    const x = tf.randomNormal([4, 12, 12, 3], 0, 1, 'float32', 3);
    const labels = tf.oneHot([0, 1, 1, 0], 2);
    const before = tf.memory().numTensors;
    const want = tf.tidy(() => (stock.predict(x) as tf.Tensor).dataSync());
    const got = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    expect(maxRelError(got, want)).toBeLessThan(1e-5);
    const a = trainingPass(stock, x, labels);
    const b = trainingPass(model, x, labels);
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5 * Math.abs(a.loss));
    a.grads.forEach((g, i) => {
      expect(maxRelError(b.grads[i]!, g), model.trainableWeights[i]!.name).toBeLessThan(1e-4);
    });
    expect(tf.memory().numTensors).toBe(before);
    // The moving statistics move the same way under model.trainOnBatch.
    for (const m of [stock, model])
      m.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    await stock.trainOnBatch(x, labels);
    await model.trainOnBatch(x, labels);
    const moving = (m: tf.LayersModel) => m.getLayer('bn1').getWeights()[2]!.dataSync();
    expect(maxRelError(moving(model), moving(stock))).toBeLessThan(1e-5);
    tf.dispose([x, labels]);
    stock.dispose();
    model.dispose();
  });

  it('rejects a Sequential model with what to do instead', async () => {
    const seq = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    await expect(optimizeForTraining(seq)).rejects.toThrow(/rewrites functional models.*tf\.model/);
    seq.dispose();
  });
});
