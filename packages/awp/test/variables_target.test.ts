import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation } from '../src';
import { bits, cosine, norm, values } from './helpers';

describe('AWP on bare tf.Variable[] targets', () => {
  let kernel: tf.Variable;
  let unused: tf.Variable;
  let bias: tf.Variable;
  let runningMean: tf.Variable;
  let frozenInList: tf.Variable;
  let x: tf.Tensor2D;

  // A toy layer that, like batch norm in training mode, updates statistics as a side effect of the loss.
  const loss = () => {
    const h = tf.add(tf.matMul(x, kernel), bias);
    runningMean.assign(tf.add(tf.mul(runningMean, 0.9), tf.mul(tf.mean(h, 0), 0.1)));
    frozenInList.assign(tf.add(frozenInList, 1));
    return tf.mean(tf.square(tf.sub(h, 1))) as tf.Scalar;
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    kernel = tf.variable(tf.randomNormal([3, 2], 0, 1, 'float32', 1));
    unused = tf.variable(tf.randomNormal([2, 2], 0, 1, 'float32', 2));
    bias = tf.variable(tf.tensor1d([0.1, -0.2]));
    runningMean = tf.variable(tf.zeros([2]), false);
    frozenInList = tf.variable(tf.zeros([2]), false);
    x = tf.randomNormal([5, 3], 0, 1, 'float32', 3) as tf.Tensor2D;
  });

  afterAll(() => {
    tf.dispose([kernel, unused, bias, runningMean, frozenInList, x]);
  });

  it('protects non-trainable variables of the list and the preserve option, bit-exactly', () => {
    const awp = new AdversarialWeightPerturbation([kernel, unused, bias, frozenInList], {
      gamma: 0.02,
      steps: 2,
      preserve: [runningMean],
    });
    const before = [runningMean, frozenInList].map(bits);
    const p = awp.calc(loss);
    expect([runningMean, frozenInList].map(bits)).toEqual(before);
    p.dispose();
    // Not vacuous: outside calc the loss does change them.
    tf.tidy(() => {
      loss();
    });
    expect([runningMean, frozenInList].map(bits)).not.toEqual(before);
  });

  it('perturbs rank >= 2 trainable variables only; an unused one gets a zero delta, not NaN', () => {
    const awp = new AdversarialWeightPerturbation([kernel, unused, bias], { gamma: 0.02 });
    const p = awp.calc(loss);
    expect(p.entries.map((e) => e.name)).toEqual([kernel.name, unused.name]);
    const g = tf.tidy(() =>
      tf.grad((k: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, k), bias), 1))))(kernel),
    );
    const v = values(p.entries[0]!.delta);
    expect(Math.abs(cosine(v, values(g)) - 1)).toBeLessThan(1e-10);
    expect(Math.abs(norm(v) / (0.02 * norm(values(kernel))) - 1)).toBeLessThan(1e-5);
    expect(values(p.entries[1]!.delta).every((d) => d === 0)).toBe(true);
    const biasBefore = bits(bias);
    awp.withPerturbation(p, () => {
      expect(bits(bias)).toEqual(biasBefore);
    });
    g.dispose();
    p.dispose();
  });
});
