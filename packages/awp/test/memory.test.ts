import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent, klAscent, type Perturbation } from '../src';
import { makeConvModel } from './helpers';

describe('tensor bookkeeping', () => {
  let model: tf.LayersModel;
  let x: tf.Tensor4D;
  let y: tf.Tensor1D;
  const forward = () => model.apply(x, { training: true }) as tf.Tensor2D;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = makeConvModel(8);
    x = tf.randomNormal([6, 6, 6, 2], 0, 1, 'float32', 2) as tf.Tensor4D;
    y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    tf.tidy(() => {
      forward();
    });
  });

  afterAll(() => {
    model.dispose();
    x.dispose();
    y.dispose();
  });

  for (const steps of [1, 3]) {
    it(`calc/perturb/restore/dispose leak nothing (steps = ${steps})`, () => {
      const awp = new AdversarialWeightPerturbation(model, { gamma: 0.01, steps });
      const start = tf.memory().numTensors;
      const p = awp.calc(crossEntropyAscent(forward, y));
      const entries = p.entries.length;
      // The deltas plus one [entries, 2] table of norms.
      expect(tf.memory().numTensors).toBe(start + entries + 1);
      awp.perturb(p);
      // Pre-perturbation weights, held (without copying) until restore.
      expect(tf.memory().numTensors).toBe(start + 2 * entries + 1);
      awp.restore(p);
      expect(tf.memory().numTensors).toBe(start + entries + 1);
      p.normsSync();
      awp.withPerturbation(p, () => {});
      p.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it('the AWP-KL loss, gamma = 0, a thrown loss and an optimizer step in between leak nothing', async () => {
    const start = tf.memory().numTensors;
    const kl = new AdversarialWeightPerturbation(model, { gamma: 0.01, steps: 2 });
    kl.calc(klAscent(forward, { numQualities: 3 })).dispose();
    const zero = new AdversarialWeightPerturbation(model, { gamma: 0 });
    const z = zero.calc(crossEntropyAscent(forward, y));
    zero.withPerturbation(z, () => {});
    z.dispose();
    expect(() =>
      kl.calc(() => {
        forward();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tf.memory().numTensors).toBe(start);

    const optimizer = tf.train.sgd(0.01);
    // Slots for SGD: none, so any growth below would be ours.
    const p = kl.calc(crossEntropyAscent(forward, y));
    await kl.withPerturbation(p, async () => {
      optimizer.minimize(crossEntropyAscent(forward, y));
    });
    await p.norms();
    p.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('an enclosing tf.tidy does not dispose what the caller owns', () => {
    const awp = new AdversarialWeightPerturbation(model, { gamma: 0.01 });
    let p: Perturbation | undefined;
    tf.tidy(() => {
      p = awp.calc(crossEntropyAscent(forward, y));
    });
    if (p === undefined) throw new Error('unreachable');
    expect(p.entries.every((e) => !e.delta.isDisposed)).toBe(true);
    const perturbation = p;
    tf.tidy(() => awp.perturb(perturbation));
    expect(() => awp.restore(perturbation)).not.toThrow();
    perturbation.dispose();
  });
});
