import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation } from '../src';

// SAM (radius: 'global') on a loss linear in the weights, so its gradient a is known exactly: one step gives
// v = ρ·a/‖a‖ over all weights together, biases included.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function setup() {
  const a1 = [0.5, -1, 2, 0.25, 0, 3];
  const a2 = [-0.75, 1.5];
  const w1 = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), true, `sam_w1_${Math.random()}`);
  const b = tf.variable(tf.tensor1d([0.1, -0.2]), true, `sam_b_${Math.random()}`);
  const loss = () =>
    tf.add(tf.sum(tf.mul(w1, tf.tensor2d(a1, [2, 3]))), tf.sum(tf.mul(b, tf.tensor1d(a2)))) as tf.Scalar;
  return { a: [...a1, ...a2], w1, b, loss };
}

describe("radius: 'global' (SAM)", () => {
  it('one step is ρ·g/‖g‖ over every trainable weight together, and leaves the weights untouched', () => {
    const { a, w1, b, loss } = setup();
    const rho = 0.05;
    const sam = new AdversarialWeightPerturbation([w1, b], { gamma: rho, radius: 'global' });
    expect(sam.radius).toBe('global');
    const before = [Array.from(w1.dataSync()), Array.from(b.dataSync())];
    const p = sam.calc(loss);
    const norm = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
    const got = p.entries.flatMap((e) => Array.from(e.delta.dataSync()));
    // The 1-D bias is perturbed too (AWP's default leaves rank < 2 alone).
    expect(p.entries.map((e) => e.shape.length)).toEqual([2, 1]);
    got.forEach((v, i) => {
      expect(v).toBeCloseTo((rho * a[i]!) / norm, 7);
    });
    const total = Math.sqrt(got.reduce((s, x) => s + x * x, 0));
    expect(total).toBeCloseTo(rho, 6);
    expect([Array.from(w1.dataSync()), Array.from(b.dataSync())]).toEqual(before);
    p.dispose();
    tf.dispose([w1, b]);
  });

  it('several steps stay on the ball of radius ρ (projection over all weights), unlike per-weight AWP', () => {
    const { w1, b, loss } = setup();
    const rho = 0.05;
    const sam = new AdversarialWeightPerturbation([w1, b], {
      gamma: rho,
      radius: 'global',
      steps: 3,
      stepSize: 0.04,
    });
    const p = sam.calc(loss);
    const deltas = p.entries.map((e) => Array.from(e.delta.dataSync()));
    const total = Math.sqrt(deltas.flat().reduce((s, x) => s + x * x, 0));
    expect(total).toBeCloseTo(rho, 6);
    p.dispose();
    // AWP on the same weights: each tensor on its own relative ball, biases skipped by default.
    const awp = new AdversarialWeightPerturbation([w1, b], { gamma: rho });
    const q = awp.calc(loss);
    expect(q.entries.map((e) => e.shape.length)).toEqual([2]);
    const w1Norm = Math.sqrt([1, 2, 3, 4, 5, 6].reduce((s, x) => s + x * x, 0));
    const qNorm = Math.sqrt(Array.from(q.entries[0]!.delta.dataSync()).reduce((s, x) => s + x * x, 0));
    expect(qNorm).toBeCloseTo(rho * w1Norm, 5);
    q.dispose();
    tf.dispose([w1, b]);
  });

  it('rejects an unknown radius', () => {
    const { w1, b } = setup();
    expect(
      () => new AdversarialWeightPerturbation([w1, b], { gamma: 0.1, radius: 'layer' as never }),
    ).toThrow(/Option 'radius' .* must be 'relative' \(AWP\) or 'global' \(SAM\)/);
    tf.dispose([w1, b]);
  });
});
