import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { collaborativeLoss, splitQualityBlocks, type TapFeatures } from '../src';
import {
  finiteDifferenceGradient,
  gaussianGramRef,
  hsicBiasedRef,
  hsicNoccoRef,
  type Matrix,
  maxScaledError,
  randomMatrix,
} from './reference';

/** Three modalities × two taps of 5 samples: the same "image" degraded by growing noise, like raw/c23/c40. */
const B = 5;
const clean = { layer1: randomMatrix(B, 12, 1), layer2: randomMatrix(B, 6, 2) };
const noisy = (level: number, seed: number) => ({
  layer1: clean.layer1.map((r, i) =>
    r.map((v, j) => Math.fround(v + level * randomMatrix(B, 12, seed)[i]![j]!)),
  ),
  layer2: clean.layer2.map((r, i) =>
    r.map((v, j) => Math.fround(v + level * randomMatrix(B, 6, seed + 1)[i]![j]!)),
  ),
});
const modalities = [clean, noisy(0.3, 10), noisy(0.8, 20)];
const taps = (ms: typeof modalities): TapFeatures[] =>
  ms.map((m) => ({ layer1: tf.tensor2d(m.layer1), layer2: tf.tensor2d(m.layer2) }));

/** −Σ_l w_l Σ_(τ<ρ) estimator(gram(Z_l^τ), gram(Z_l^ρ)) in float64. */
function lossRef(
  ms: typeof modalities,
  weights: Record<'layer1' | 'layer2', number>,
  pair: (a: Matrix, b: Matrix) => number,
): number {
  let total = 0;
  for (const tap of ['layer1', 'layer2'] as const)
    for (let a = 0; a < ms.length; a++)
      for (let b = a + 1; b < ms.length; b++) total += weights[tap] * pair(ms[a]![tap], ms[b]![tap]);
  return -total;
}
const authorsPair = (a: Matrix, b: Matrix) =>
  hsicNoccoRef(gaussianGramRef(a, 6, true), gaussianGramRef(b, 6, true), 1e-5);
const paperPair = (a: Matrix, b: Matrix) =>
  hsicBiasedRef(gaussianGramRef(a, 6, true), gaussianGramRef(b, 6, true));
const weights = { layer1: 0.1, layer2: 0.25 };

describe('collaborativeLoss', () => {
  it("authors' preset (NOCCO, σ = 6 scaled by d, ε = 1e-5) equals the float64 sum over all unordered pairs", () => {
    const v = collaborativeLoss(taps(modalities), { tapWeights: weights }).dataSync()[0]!;
    const ref = lossRef(modalities, weights, authorsPair);
    expect(Math.abs(v - ref) / Math.abs(ref)).toBeLessThan(1e-3);
  });

  it('paper preset (biased HSIC, σ = 6 on the per-dimension distance, unit weights) equals the float64 reference', () => {
    const v = collaborativeLoss(taps(modalities), { preset: 'paper' }).dataSync()[0]!;
    const ref = lossRef(modalities, { layer1: 1, layer2: 1 }, paperPair);
    expect(Math.abs(v - ref) / Math.abs(ref)).toBeLessThan(1e-4);
  });

  it('explicit options override the preset', () => {
    const v = collaborativeLoss(taps(modalities), {
      preset: 'paper',
      sigma: 2,
      scaleByDim: false,
      tapWeights: weights,
    }).dataSync()[0]!;
    const ref = lossRef(modalities, weights, (a, b) =>
      hsicBiasedRef(gaussianGramRef(a, 2), gaussianGramRef(b, 2)),
    );
    expect(Math.abs(v - ref) / Math.abs(ref)).toBeLessThan(1e-4);
  });

  it('is the same for any order of the modalities (pairs are unordered)', () => {
    const a = collaborativeLoss(taps(modalities), { tapWeights: weights }).dataSync()[0]!;
    const b = collaborativeLoss(taps([modalities[2]!, modalities[0]!, modalities[1]!]), {
      tapWeights: weights,
    }).dataSync()[0]!;
    expect(Math.abs(a - b)).toBeLessThan(1e-4 * Math.abs(a));
  });

  it('a tap weighted 0 contributes nothing', () => {
    const v = collaborativeLoss(taps(modalities), {
      preset: 'paper',
      tapWeights: { layer1: 0 },
    }).dataSync()[0]!;
    const ref = lossRef(modalities, { layer1: 0, layer2: 1 }, paperPair);
    expect(Math.abs(v - ref) / Math.abs(ref)).toBeLessThan(1e-4);
  });

  it('gradient with respect to every modality matches central differences of the float64 reference', () => {
    const ts = taps(modalities);
    const inputs = ts.flatMap((m) => [m.layer1!, m.layer2!]);
    const grads = tf.grads((...xs: tf.Tensor[]) =>
      collaborativeLoss(
        [0, 1, 2].map((m) => ({ layer1: xs[2 * m]!, layer2: xs[2 * m + 1]! })),
        { preset: 'paper', sigma: 3, scaleByDim: false, tapWeights: weights },
      ),
    )(inputs);
    const pair = (a: Matrix, b: Matrix) => hsicBiasedRef(gaussianGramRef(a, 3), gaussianGramRef(b, 3));
    modalities.forEach((m, index) => {
      for (const [t, tap] of (['layer1', 'layer2'] as const).entries()) {
        const f = (z: Matrix) =>
          lossRef(
            modalities.map((other, j) => (j === index ? { ...other, [tap]: z } : other)),
            weights,
            pair,
          );
        const expected = finiteDifferenceGradient(f, m[tap]);
        expect(maxScaledError(grads[2 * index + t]!.dataSync(), expected)).toBeLessThan(1e-3);
      }
    });
  });

  it("gradient under the authors' preset matches central differences (float32-limited: 1e-2)", () => {
    const ts = taps(modalities);
    const grad = tf.grad((z: tf.Tensor) =>
      collaborativeLoss([{ ...ts[0]!, layer1: z }, ts[1]!, ts[2]!], { tapWeights: weights }),
    )(ts[0]!.layer1!);
    const f = (z: Matrix) =>
      lossRef([{ ...modalities[0]!, layer1: z }, modalities[1]!, modalities[2]!], weights, authorsPair);
    expect(maxScaledError(grad.dataSync(), finiteDifferenceGradient(f, modalities[0]!.layer1))).toBeLessThan(
      1e-2,
    );
  });

  it('leaves no tensors behind (value and gradient)', () => {
    const ts = taps(modalities);
    const before = tf.memory().numTensors;
    collaborativeLoss(ts, { tapWeights: weights }).dispose();
    collaborativeLoss(ts, { preset: 'paper' }).dispose();
    tf.grad((z: tf.Tensor) => collaborativeLoss([{ ...ts[0]!, layer1: z }, ts[1]!, ts[2]!]))(
      ts[0]!.layer1!,
    ).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('splitQualityBlocks', () => {
  it('splits an M·B batch into M consecutive blocks, tap by tap', () => {
    const z = tf.tensor4d(
      Array.from({ length: 6 * 2 }, (_, i) => i),
      [6, 2, 1, 1],
    );
    const blocks = splitQualityBlocks({ layer1: z, logits: tf.tensor2d([[0], [1], [2], [3], [4], [5]]) }, 3);
    expect(blocks).toHaveLength(3);
    expect(blocks[1]!.layer1!.shape).toEqual([2, 2, 1, 1]);
    expect(Array.from(blocks[1]!.layer1!.dataSync())).toEqual([4, 5, 6, 7]);
    expect(Array.from(blocks[2]!.logits!.dataSync())).toEqual([4, 5]);
  });
});

describe("collaborativeLoss 'cka' preset", () => {
  it('is −Σ weighted CKA of the Gaussian Grams (σ 6 scaled by d), in [−pairs·Σw, 0]', () => {
    const ts = taps(modalities);
    const v = collaborativeLoss(ts, { preset: 'cka', tapWeights: weights }).dataSync()[0]!;
    const ref = lossRef(modalities, weights, (a, b) => {
      const k = gaussianGramRef(a, 6, true);
      const l = gaussianGramRef(b, 6, true);
      return hsicBiasedRef(k, l) / Math.sqrt(hsicBiasedRef(k, k) * hsicBiasedRef(l, l));
    });
    expect(Math.abs(v - ref) / Math.abs(ref)).toBeLessThan(1e-3);
    expect(() => collaborativeLoss(ts, { preset: 'x' as never })).toThrow(
      "expected 'authors', 'paper' or 'cka'",
    );
    tf.dispose(ts.flatMap((m) => Object.values(m)));
  });
});
