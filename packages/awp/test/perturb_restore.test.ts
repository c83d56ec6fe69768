import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent, type Perturbation } from '../src';
import { bits, makeBatch, makeMlp, values } from './helpers';

describe('perturb / restore / withPerturbation', () => {
  let net: ReturnType<typeof makeMlp>;
  let batch: ReturnType<typeof makeBatch>;
  let all: tf.Variable[];
  let awp: AdversarialWeightPerturbation;
  const loss = () => crossEntropyAscent(() => net.logits(batch.x), batch.y)();
  const allBits = () => all.map(bits);

  beforeAll(async () => {
    await tf.setBackend('cpu');
    net = makeMlp(4, 5, 3, 31);
    batch = makeBatch(10, 4, 3, 41);
    all = [net.w1, net.b1, net.w2, net.b2];
  });

  afterAll(() => {
    net.dispose();
    batch.x.dispose();
    batch.y.dispose();
  });

  beforeEach(() => {
    awp = new AdversarialWeightPerturbation(all, { gamma: 0.05 });
  });

  it('perturb adds v and restore brings the weights back bit-exactly', () => {
    const before = allBits();
    const w1 = values(net.w1);
    const p = awp.calc(loss);
    const v = values(p.entries[0]!.delta);
    awp.perturb(p);
    expect(p.isApplied).toBe(true);
    expect(awp.isPerturbed).toBe(true);
    // w + v in float32: one rounding per element.
    values(net.w1).forEach((wi, i) => {
      expect(wi).toBeCloseTo(w1[i]! + v[i]!, 6);
    });
    awp.restore(p);
    expect(p.isApplied).toBe(false);
    expect(allBits()).toEqual(before);
    // A second round trip with the same perturbation is just as exact.
    awp.perturb(p);
    awp.restore(p);
    expect(allBits()).toEqual(before);
    p.dispose();
  });

  it('restore is bit-exact even where (w + v) − v would not be', () => {
    // -0 entries too: arithmetic that cancels v lands on +0.
    const signed = tf.variable(
      tf.tensor2d([
        [-0, 1.5],
        [2, -0],
      ]),
    );
    const big = new AdversarialWeightPerturbation([signed, ...all], { gamma: 3 });
    const before = allBits();
    const signedBefore = bits(signed);
    const p = big.calc(
      () =>
        tf.add(
          loss(),
          tf.sum(
            tf.mul(
              signed,
              tf.tensor2d([
                [1, 2],
                [3, 4],
              ]),
            ),
          ),
        ) as tf.Scalar,
    );
    // Premise: with ‖v‖ ≫ ‖w‖ the float32 round trip through subtraction loses bits.
    const naive = tf.tidy(() => bits(tf.sub(tf.add(net.w1, p.entries[1]!.delta), p.entries[1]!.delta)));
    expect(naive).not.toEqual(before[0]);
    big.perturb(p);
    big.restore(p);
    expect(allBits()).toEqual(before);
    expect(bits(signed)).toEqual(signedBefore);
    p.dispose();
    signed.dispose();
  });

  it('gamma = 0 is a no-op: zero deltas and bit-identical weights, -0 included', () => {
    const negativeZero = tf.variable(
      tf.tensor2d([
        [-0, 1.5],
        [2, -0],
      ]),
    );
    const zeroAwp = new AdversarialWeightPerturbation([negativeZero, ...all], { gamma: 0 });
    const before = [negativeZero, ...all].map(bits);
    const p = zeroAwp.calc(() => tf.add(loss(), tf.sum(negativeZero)) as tf.Scalar);
    for (const e of p.entries) expect(values(e.delta).every((d) => d === 0)).toBe(true);
    zeroAwp.perturb(p);
    expect([negativeZero, ...all].map(bits)).toEqual(before);
    zeroAwp.restore(p);
    expect([negativeZero, ...all].map(bits)).toEqual(before);
    p.dispose();
    negativeZero.dispose();
  });

  it('restore keeps an optimizer step taken at the perturbed weights (w ← w − v)', () => {
    const p = awp.calc(loss);
    const w0 = values(net.w1);
    const v = values(p.entries[0]!.delta);
    const optimizer = tf.train.sgd(0.1);
    awp.perturb(p);
    optimizer.minimize(loss, false, [net.w1]);
    const stepped = values(net.w1);
    awp.restore(p);
    const after = values(net.w1);
    after.forEach((a, i) => {
      expect(a).toBeCloseTo(stepped[i]! - v[i]!, 6);
    });
    expect(after).not.toEqual(w0);
    optimizer.dispose();
    p.dispose();
  });

  it('rejects perturbing twice, restoring what is not applied, and foreign or disposed perturbations', () => {
    const p = awp.calc(loss);
    expect(() => awp.restore(p)).toThrow(/is not applied/);
    awp.perturb(p);
    expect(() => awp.perturb(p)).toThrow(/already applied; perturbing twice/);
    expect(() => awp.calc(loss)).toThrow(/while a perturbation is applied/);
    expect(() => p.dispose()).toThrow(/restore\(p\) first/);
    awp.restore(p);
    expect(() => awp.restore(p)).toThrow(/is not applied/);

    const other = new AdversarialWeightPerturbation(all, { gamma: 0.05 });
    const q = other.calc(loss);
    expect(() => awp.perturb(q)).toThrow(/returned by this instance's calc/);
    expect(() => awp.perturb({} as Perturbation)).toThrow(/returned by this instance's calc/);

    const second = awp.calc(loss);
    awp.perturb(p);
    expect(() => awp.perturb(second)).toThrow(/another perturbation is applied/);
    expect(() => awp.restore(second)).toThrow(/is not applied/);
    awp.restore(p);

    p.dispose();
    expect(() => awp.perturb(p)).toThrow(/is disposed/);
    expect(() => p.normsSync()).toThrow(/disposed/);
    p.dispose();
    q.dispose();
    second.dispose();
  });

  it('withPerturbation runs fn at the perturbed weights and returns its value', () => {
    const before = allBits();
    const p = awp.calc(loss);
    const w1 = values(net.w1);
    const v = values(p.entries[0]!.delta);
    const seen = awp.withPerturbation(p, () => values(net.w1));
    seen.forEach((s, i) => {
      expect(s).toBeCloseTo(w1[i]! + v[i]!, 6);
    });
    expect(allBits()).toEqual(before);
    p.dispose();
  });

  it('withPerturbation restores when a sync fn throws', () => {
    const before = allBits();
    const p = awp.calc(loss);
    expect(() =>
      awp.withPerturbation(p, () => {
        expect(awp.isPerturbed).toBe(true);
        throw new Error('sync failure');
      }),
    ).toThrow('sync failure');
    expect(awp.isPerturbed).toBe(false);
    expect(allBits()).toEqual(before);
    p.dispose();
  });

  it('withPerturbation restores when an async fn rejects, and only after it settles', async () => {
    const before = allBits();
    const p = awp.calc(loss);
    let perturbedInside = false;
    await expect(
      awp.withPerturbation(p, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        perturbedInside = awp.isPerturbed && bits(net.w1).join() !== before[0]!.join();
        throw new Error('async failure');
      }),
    ).rejects.toThrow('async failure');
    expect(perturbedInside).toBe(true);
    expect(awp.isPerturbed).toBe(false);
    expect(allBits()).toEqual(before);

    const value = await awp.withPerturbation(p, async () => 42);
    expect(value).toBe(42);
    expect(allBits()).toEqual(before);
    p.dispose();
  });

  it('withPerturbation keeps the original error when fn restored p itself', () => {
    const p = awp.calc(loss);
    expect(() =>
      awp.withPerturbation(p, () => {
        awp.restore(p);
        throw new Error('original');
      }),
    ).toThrow('original');
    p.dispose();
  });
});
