import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent } from '../src';
import { makeBatch, makeMlp, matrix, mlpGradients, norm, relativeError, values } from './helpers';

/** Float64 K-step projected normalised-gradient ascent on W1 and W2 of the helper MLP (paper Eq. 5). */
function referenceAscent(
  net: ReturnType<typeof makeMlp>,
  batch: ReturnType<typeof makeBatch>,
  hidden: number,
  { gamma, stepSize, steps }: { gamma: number; stepSize: number; steps: number },
): number[][] {
  const x = matrix(batch.x);
  const y = matrix(batch.y);
  const w0 = [values(net.w1), values(net.w2)];
  const b1 = values(net.b1);
  const b2 = values(net.b2);
  const radii = w0.map((w) => gamma * norm(w));
  let v = w0.map((w) => w.map(() => 0));
  for (let k = 0; k < steps; k++) {
    const at = w0.map((w, l) => w.map((wi, i) => wi + v[l]![i]!));
    const { dW1, dW2 } = mlpGradients(x, y, at[0]!, b1, at[1]!, b2, hidden);
    v = [dW1, dW2].map((g, l) => {
      const scale = (stepSize * norm(w0[l]!)) / (norm(g) + 1e-20);
      const moved = v[l]!.map((vi, i) => vi + scale * g[i]!);
      const factor = Math.min(1, radii[l]! / (norm(moved) + 1e-20));
      return moved.map((m) => m * factor);
    });
  }
  return v;
}

describe('multi-step AWP', () => {
  const hidden = 6;
  let net: ReturnType<typeof makeMlp>;
  let batch: ReturnType<typeof makeBatch>;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    net = makeMlp(3, hidden, 2, 5);
    batch = makeBatch(16, 3, 2, 9);
  });

  afterAll(() => {
    net.dispose();
    batch.x.dispose();
    batch.y.dispose();
  });

  // Large γ so that the loss is visibly curved over the ball and later steps turn away from the first.
  const settings = [
    { gamma: 0.3, stepSize: 0.12, steps: 5 },
    { gamma: 0.2, stepSize: 0.2, steps: 3 },
    { gamma: 0.1, stepSize: 0.5, steps: 2 },
  ];

  for (const setting of settings) {
    it(`matches the hand-rolled K-step reference and stays in the ball (${JSON.stringify(setting)})`, () => {
      const awp = new AdversarialWeightPerturbation([net.w1, net.b1, net.w2, net.b2], setting);
      const p = awp.calc(crossEntropyAscent(() => net.logits(batch.x), batch.y));
      const reference = referenceAscent(net, batch, hidden, setting);
      const weights = [values(net.w1), values(net.w2)];
      p.entries.forEach((entry, l) => {
        const v = values(entry.delta);
        // float32 against float64 over K forward/backward passes: observed ~1e-7, asserted 1e-5 relative.
        expect(relativeError(v, reference[l]!)).toBeLessThan(1e-5);
        expect(norm(v)).toBeLessThanOrEqual(setting.gamma * norm(weights[l]!) * (1 + 1e-6));
      });
      p.dispose();
    });
  }

  it('differs from the one-step result when the later steps matter', () => {
    const setting = { gamma: 0.3, stepSize: 0.12, steps: 5 };
    const multi = referenceAscent(net, batch, hidden, setting);
    const single = referenceAscent(net, batch, hidden, { ...setting, steps: 1, stepSize: setting.gamma });
    // Guards the reference test above against a setting where K steps collapse to the closed form.
    expect(relativeError(multi[0]!, single[0]!)).toBeGreaterThan(1e-3);
  });

  it('a single step shorter than γ is not stretched to the radius', () => {
    const awp = new AdversarialWeightPerturbation([net.w1, net.w2], { gamma: 0.1, stepSize: 0.04 });
    const p = awp.calc(crossEntropyAscent(() => net.logits(batch.x), batch.y));
    for (const n of p.normsSync()) expect(n.relative).toBeCloseTo(0.04, 6);
    p.dispose();
  });
});
