import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent, type LayersModelLike } from '../src';
import { bits, makeConvModel } from './helpers';

function weightBits(model: tf.LayersModel): Record<string, number[]> {
  return Object.fromEntries(model.weights.map((w) => [w.name, bits(w.read())]));
}

function byName(model: tf.LayersModel, suffix: string): tf.LayerVariable {
  const found = model.weights.find((w) => w.name.endsWith(suffix));
  if (found === undefined) throw new Error(`no weight ending in ${suffix}`);
  return found;
}

describe('AWP on a tf.LayersModel (conv2d + batchNormalization + dense)', () => {
  let model: tf.LayersModel;
  let x: tf.Tensor4D;
  let y: tf.Tensor1D;
  const lossFn = () => crossEntropyAscent(() => model.apply(x, { training: true }) as tf.Tensor2D, y)();

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = makeConvModel(3);
    // Shifted and scaled so the batch statistics are far from the initial moving mean 0 / variance 1.
    x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([8, 6, 6, 2], 0, 1, 'float32', 4), 3), 2)) as tf.Tensor4D;
    y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
  });

  afterAll(() => {
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('satisfies the structural LayersModelLike interface', () => {
    const target: LayersModelLike = model;
    expect(target.nonTrainableWeights.map((w) => w.name)).toEqual([
      byName(model, 'moving_mean').name,
      byName(model, 'moving_variance').name,
    ]);
  });

  it('keeps batch-norm moving mean/variance bit-identical through calc', () => {
    const movingMean = byName(model, 'moving_mean');
    const movingVariance = byName(model, 'moving_variance');
    const before = [bits(movingMean.read()), bits(movingVariance.read())];
    const awp = new AdversarialWeightPerturbation(model, { gamma: 0.01, steps: 2 });
    const p = awp.calc(lossFn);
    expect([bits(movingMean.read()), bits(movingVariance.read())]).toEqual(before);
    p.dispose();

    // The same loss function outside calc does move them, so the check above is not vacuous.
    tf.tidy(() => {
      lossFn();
    });
    expect(bits(movingMean.read())).not.toEqual(before[0]);
    expect(bits(movingVariance.read())).not.toEqual(before[1]);
  });

  it('keeps moving statistics even when the loss function throws after updating them', () => {
    const movingMean = byName(model, 'moving_mean');
    const before = bits(movingMean.read());
    const awp = new AdversarialWeightPerturbation(model, { gamma: 0.01 });
    expect(() =>
      awp.calc(() => {
        lossFn();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(bits(movingMean.read())).toEqual(before);
  });

  it('perturbs only rank >= 2 weights by default; biases and BN gamma/beta stay bit-identical', () => {
    const awp = new AdversarialWeightPerturbation(model, { gamma: 0.01 });
    const kernels = [byName(model, 'conv/kernel').name, byName(model, 'head/kernel').name];
    expect(awp.selectedWeights().map((w) => w.name)).toEqual(kernels);
    const before = weightBits(model);
    const p = awp.calc(lossFn);
    expect(p.entries.map((e) => e.name)).toEqual(kernels);
    awp.perturb(p);
    const during = weightBits(model);
    for (const name of Object.keys(before)) {
      if (kernels.includes(name)) expect(during[name], name).not.toEqual(before[name]);
      else expect(during[name], name).toEqual(before[name]);
    }
    awp.restore(p);
    expect(weightBits(model)).toEqual(before);
    p.dispose();
  });

  it('include overrides the default selection (predicate, names, RegExp)', () => {
    const convBias = byName(model, 'conv/bias').name;
    const bnGamma = byName(model, 'bn/gamma').name;
    const headKernel = byName(model, 'head/kernel').name;
    const byPredicate = new AdversarialWeightPerturbation(model, {
      gamma: 0.01,
      include: (w) => w.shape.length === 1,
    });
    expect(byPredicate.selectedWeights().map((w) => w.name)).toEqual(
      model.trainableWeights.filter((w) => w.shape.length === 1).map((w) => w.name),
    );
    const byNames = new AdversarialWeightPerturbation(model, {
      gamma: 0.01,
      include: [headKernel, convBias],
    });
    // Target order, not the order of the list.
    expect(byNames.selectedWeights().map((w) => w.name)).toEqual([convBias, headKernel]);
    const byRegExp = new AdversarialWeightPerturbation(model, { gamma: 0.01, include: /bn\/gamma/g });
    expect(byRegExp.selectedWeights().map((w) => w.name)).toEqual([bnGamma]);

    const before = weightBits(model);
    const p = byNames.calc(lossFn);
    byNames.withPerturbation(p, () => {
      const during = weightBits(model);
      expect(during[convBias]).not.toEqual(before[convBias]);
      expect(during[headKernel]).not.toEqual(before[headKernel]);
      expect(during[byName(model, 'conv/kernel').name]).toEqual(before[byName(model, 'conv/kernel').name]);
    });
    p.dispose();
  });

  it('never offers non-trainable weights, even by name', () => {
    const awp = new AdversarialWeightPerturbation(model, {
      gamma: 0.01,
      include: [byName(model, 'moving_mean').name],
    });
    expect(() => awp.selectedWeights()).toThrow(/is not a trainable weight/);
  });

  it('follows layers frozen after construction', () => {
    const awp = new AdversarialWeightPerturbation(model, { gamma: 0.01 });
    const conv = model.getLayer('conv');
    conv.trainable = false;
    try {
      expect(awp.selectedWeights().map((w) => w.name)).toEqual([byName(model, 'head/kernel').name]);
    } finally {
      conv.trainable = true;
    }
  });
});
