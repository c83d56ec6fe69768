import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent } from '../src';
import { cosine, makeBatch, makeMlp, matrix, mlpGradients, norm, relativeError, values } from './helpers';

// float32 weights and gradients against a float64 reference: agreement to ~1e-6 relative is expected.
const REL_TOL = 1e-5;

describe('one-step AWP equals the closed form v = γ‖w‖·g/‖g‖', () => {
  const hidden = 5;
  let net: ReturnType<typeof makeMlp>;
  let batch: ReturnType<typeof makeBatch>;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    net = makeMlp(4, hidden, 3, 11);
    batch = makeBatch(12, 4, 3, 21);
  });

  afterAll(() => {
    net.dispose();
    batch.x.dispose();
    batch.y.dispose();
  });

  it('per-variable norm is γ‖w‖ and direction is the hand-computed gradient', () => {
    const gamma = 0.01;
    const awp = new AdversarialWeightPerturbation([net.w1, net.b1, net.w2, net.b2], { gamma });
    const p = awp.calc(crossEntropyAscent(() => net.logits(batch.x), batch.y));

    const w1 = values(net.w1);
    const w2 = values(net.w2);
    const { dW1, dW2 } = mlpGradients(
      matrix(batch.x),
      matrix(batch.y),
      w1,
      values(net.b1),
      w2,
      values(net.b2),
      hidden,
    );
    expect(p.entries.map((e) => e.name)).toEqual([net.w1.name, net.w2.name]);
    const cases = [
      { w: w1, g: dW1, v: values(p.entries[0]!.delta) },
      { w: w2, g: dW2, v: values(p.entries[1]!.delta) },
    ];
    for (const { w, g, v } of cases) {
      const radius = gamma * norm(w);
      const reference = g.map((gi) => (radius * gi) / norm(g));
      expect(Math.abs(norm(v) / radius - 1)).toBeLessThan(REL_TOL);
      expect(Math.abs(cosine(v, g) - 1)).toBeLessThan(1e-10);
      expect(relativeError(v, reference)).toBeLessThan(REL_TOL);
    }
    const norms = p.normsSync();
    for (const n of norms) expect(n.relative).toBeCloseTo(gamma, 7);
    p.dispose();
  });

  it('matches the gradient that tf.grad computes for the same loss', () => {
    const gamma = 0.003;
    const awp = new AdversarialWeightPerturbation([net.w1, net.w2], { gamma });
    const p = awp.calc(crossEntropyAscent(() => net.logits(batch.x), batch.y));
    const g = tf.tidy(() =>
      tf.grad((w: tf.Tensor) =>
        tf.losses.softmaxCrossEntropy(
          batch.y,
          tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(batch.x, w), net.b1)), net.w2), net.b2),
        ),
      )(net.w1),
    );
    const gv = values(g);
    const v = values(p.entries[0]!.delta);
    expect(Math.abs(cosine(v, gv) - 1)).toBeLessThan(1e-10);
    expect(Math.abs(norm(v) / (gamma * norm(values(net.w1))) - 1)).toBeLessThan(REL_TOL);
    g.dispose();
    p.dispose();
  });

  it('leaves the weights exactly as they were', () => {
    const before = [net.w1, net.b1, net.w2, net.b2].map((v) => v.dataId);
    const snapshot = [net.w1, net.w2].map(values);
    const awp = new AdversarialWeightPerturbation([net.w1, net.b1, net.w2, net.b2], { gamma: 0.5, steps: 3 });
    awp.calc(crossEntropyAscent(() => net.logits(batch.x), batch.y)).dispose();
    expect([net.w1, net.b1, net.w2, net.b2].map((v) => v.dataId)).toEqual(before);
    expect([net.w1, net.w2].map(values)).toEqual(snapshot);
  });
});
