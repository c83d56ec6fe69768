import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import { type BackboneName, createBackbone, optimizeForInference, type PaddedConv2D } from '../src';
import { maxRelError } from './helpers';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Moving statistics and affine parameters far from their initial 0/1, so a wrong fold shows. */
function randomizeBatchNorms(model: tf.LayersModel, seed: number): void {
  let k = seed;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    // getWeights returns the variables themselves: not disposed here.
    const c = layer.getWeights()[0]!.shape[0]!;
    const values = [
      tf.randomUniform([c], 0.5, 1.5, 'float32', k++),
      tf.randomUniform([c], -0.2, 0.2, 'float32', k++),
      tf.randomUniform([c], -0.2, 0.2, 'float32', k++),
      tf.randomUniform([c], 0.5, 1.5, 'float32', k++),
    ];
    layer.setWeights(values);
    tf.dispose(values);
  }
}

describe('optimizeForInference', () => {
  for (const [name, folded, relus] of [
    // conv1 + 8 blocks × 2 convs + 3 downsamples = 20 convs, all followed by BN; 9 ReLUs right after a BN.
    ['resnet18', 20, 9],
    // EfficientNet's BNs are followed by swish (not fused) or nothing.
    ['efficientnet_b0', 49, 0],
  ] as [BackboneName, number, number][]) {
    it(`${name}: folds ${folded} batch norms (${relus} with their ReLU); logits and taps equal the original's`, async () => {
      const net = createBackbone(name, { inputSize: 64, seed: 3 });
      randomizeBatchNorms(net.model, 10);
      const { model, report } = await optimizeForInference(net.featureModel);
      expect(report.foldedBatchNorms).toHaveLength(folded);
      expect(report.fusedRelus).toHaveLength(relus);
      expect(model.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
      const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 4);
      const before = tf.memory().numTensors;
      const want = net.featureModel.predict(x) as tf.Tensor[];
      const got = model.predict(x) as tf.Tensor[];
      expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
      want.forEach((w, i) => {
        expect(maxRelError(got[i]!.dataSync(), w.dataSync()), `output ${i}`).toBeLessThan(1e-4);
      });
      tf.dispose([...want, ...got]);
      expect(tf.memory().numTensors).toBe(before);
      if (name === 'resnet18') {
        const conv1 = model.getLayer('conv1') as PaddedConv2D;
        expect([conv1.useBias, conv1.activation]).toEqual([true, 'relu']);
      }
      tf.dispose(x);
      model.dispose();
      net.dispose();
    });
  }

  it('folds into stock Conv2D / DepthwiseConv2D (with their own bias), leaves a BN whose conv feeds another layer too', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
    let x = tf.layers
      .conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        biasInitializer: 'ones',
        kernelInitializer: init(1),
        name: 'c1',
      })
      .apply(input) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'b1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: 'r1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .depthwiseConv2d({
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: init(2),
        name: 'd1',
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'b2' }).apply(x) as tf.SymbolicTensor;
    const c2 = tf.layers
      .conv2d({ filters: 4, kernelSize: 1, useBias: false, kernelInitializer: init(3), name: 'c2' })
      .apply(x) as tf.SymbolicTensor;
    const shared = tf.layers.batchNormalization({ name: 'b3' }).apply(c2) as tf.SymbolicTensor;
    // c2 also feeds the add directly: folding b3 into it would change the add's other input.
    const y = tf.layers
      .add({ name: 'add' })
      .apply([tf.layers.reLU({ name: 'r3' }).apply(shared) as tf.SymbolicTensor, c2]) as tf.SymbolicTensor;
    const out = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
    const stock = tf.model({ inputs: input, outputs: out });
    randomizeBatchNorms(stock, 20);
    const { model, report } = await optimizeForInference(stock);
    expect(report.foldedBatchNorms).toEqual(['c1', 'd1']);
    expect(report.fusedRelus).toEqual(['c1']);
    expect(model.layers.map((l) => l.name)).toContain('b3');
    const x0 = tf.randomNormal([3, 8, 8, 3], 0, 1, 'float32', 5);
    const a = tf.tidy(() => (stock.predict(x0) as tf.Tensor).dataSync());
    const b = tf.tidy(() => (model.predict(x0) as tf.Tensor).dataSync());
    expect(maxRelError(b, a)).toBeLessThan(1e-5);
    tf.dispose(x0);
    stock.dispose();
    model.dispose();
  });
});
