import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent, meanCrossEntropy } from '../src';
import { makeBatch, makeMlp, matrix, mlpGradients, norm, relativeError, values } from './helpers';

describe('a QAD training step: calc → perturb → optimizer step at w + v → restore', () => {
  const hidden = 4;
  const lr = 0.5;
  let net: ReturnType<typeof makeMlp>;
  let batch: ReturnType<typeof makeBatch>;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    net = makeMlp(3, hidden, 2, 51);
    batch = makeBatch(8, 3, 2, 61);
  });

  afterAll(() => {
    net.dispose();
    batch.x.dispose();
    batch.y.dispose();
  });

  it('updates w by the gradient taken at w + v, then removes v', () => {
    const gamma = 0.2;
    const vars = [net.w1, net.b1, net.w2, net.b2];
    const w0 = vars.map(values);
    const x = matrix(batch.x);
    const y = matrix(batch.y);

    // Float64 reference: v from the gradient at w0, the SGD step from the gradient at w0 + v.
    const g0 = mlpGradients(x, y, w0[0]!, w0[1]!, w0[2]!, w0[3]!, hidden);
    const v = [g0.dW1, g0.dW2].map((g, l) => {
      const r = gamma * norm(w0[l === 0 ? 0 : 2]!);
      return g.map((gi) => (r * gi) / norm(g));
    });
    const wp1 = w0[0]!.map((w, i) => w + v[0]![i]!);
    const wp2 = w0[2]!.map((w, i) => w + v[1]![i]!);
    const atPerturbed = mlpGradients(x, y, wp1, w0[1]!, wp2, w0[3]!, hidden);
    const expectedW1 = w0[0]!.map((w, i) => w - lr * atPerturbed.dW1[i]!);
    const plainW1 = w0[0]!.map((w, i) => w - lr * g0.dW1[i]!);
    // Premise: the perturbation changes the step measurably, so the comparison below can tell them apart.
    expect(relativeError(expectedW1, plainW1)).toBeGreaterThan(1e-3);

    const awp = new AdversarialWeightPerturbation(vars, { gamma });
    const optimizer = tf.train.sgd(lr);
    const loss = () => meanCrossEntropy(net.logits(batch.x), batch.y);
    const p = awp.calc(crossEntropyAscent(() => net.logits(batch.x), batch.y));
    awp.withPerturbation(p, () => {
      optimizer.minimize(loss, false, vars);
    });
    p.dispose();
    optimizer.dispose();

    expect(relativeError(values(net.w1), expectedW1)).toBeLessThan(1e-5);
    expect(relativeError(values(net.w1), plainW1)).toBeGreaterThan(1e-4);
    // Biases are not perturbed, but they are trained in the same step.
    expect(values(net.b1)).not.toEqual(w0[1]);
  });
});
