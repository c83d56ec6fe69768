import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent, meanCrossEntropy } from '../src';

describe('AWP on a model trained on two Gaussian blobs', () => {
  let model: tf.Sequential;
  let x: tf.Tensor2D;
  let y: tf.Tensor1D;
  const loss = () => meanCrossEntropy(model.apply(x) as tf.Tensor2D, y);
  const lossValue = () => tf.tidy(() => loss().dataSync()[0]!);
  let trainedLoss = 0;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const n = 64;
    x = tf.tidy(() => {
      const noise = tf.randomNormal([n, 2], 0, 0.8, 'float32', 7);
      const centres = tf.concat([tf.fill([n / 2, 2], -1), tf.fill([n / 2, 2], 1)]);
      return tf.add(noise, centres);
    }) as tf.Tensor2D;
    y = tf.tensor1d([...new Array(n / 2).fill(0), ...new Array(n / 2).fill(1)], 'int32');
    model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [2],
          units: 8,
          activation: 'tanh',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const optimizer = tf.train.sgd(0.5);
    const initialLoss = lossValue();
    for (let step = 0; step < 40; step++) optimizer.minimize(loss);
    optimizer.dispose();
    trainedLoss = lossValue();
    // The premise: a model that has actually learned something.
    expect(trainedLoss).toBeLessThan(initialLoss * 0.6);
  });

  afterAll(() => {
    model.dispose();
    x.dispose();
    y.dispose();
  });

  for (const steps of [1, 3]) {
    it(`the loss at the perturbed weights exceeds the loss at the originals (steps = ${steps})`, () => {
      const awp = new AdversarialWeightPerturbation(model, { gamma: 0.05, steps, stepSize: 0.05 / steps });
      const p = awp.calc(crossEntropyAscent(() => model.apply(x) as tf.Tensor2D, y));
      const perturbedLoss = awp.withPerturbation(p, lossValue);
      expect(lossValue()).toBe(trainedLoss);
      expect(perturbedLoss).toBeGreaterThan(trainedLoss * 1.01);

      // Same per-weight norms, random directions: the adversarial direction must do clearly better.
      const random = p.entries.map((e, i) =>
        tf.tidy(() => {
          const r = tf.randomNormal(e.shape as number[], 0, 1, 'float32', 100 + i);
          return tf.mul(r, tf.div(tf.norm(e.delta), tf.norm(r)));
        }),
      );
      const kernels = model.trainableWeights.filter((w) => w.shape.length >= 2).map((w) => w.read());
      const saved = kernels.map((k) => tf.clone(k));
      tf.tidy(() => {
        kernels.forEach((k, i) => {
          (k as tf.Variable).assign(tf.add(k, random[i]!));
        });
      });
      const randomLoss = lossValue();
      kernels.forEach((k, i) => {
        (k as tf.Variable).assign(saved[i]!);
      });
      expect(perturbedLoss - trainedLoss).toBeGreaterThan(2 * Math.abs(randomLoss - trainedLoss));
      tf.dispose([...random, ...saved]);
      p.dispose();
    });
  }
});
