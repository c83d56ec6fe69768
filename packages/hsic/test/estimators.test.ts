import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cka, gaussianGram, hsic, hsicBiased, hsicNocco, hsicUnbiased, linearGram } from '../src';
import {
  ckaRef,
  gaussianGramRef,
  hsicBiasedRef,
  hsicNoccoRef,
  hsicUnbiasedRef,
  linearGramRef,
  normals,
  randomMatrix,
} from './reference';

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Two dependent batches: y is a noisy non-linear function of x. */
function dependentPair(n: number, dx: number, dy: number, seed: number) {
  const x = randomMatrix(n, dx, seed);
  const noise = randomMatrix(n, dy, seed + 1, 0.3);
  const y = x.map((row, i) => noise[i]!.map((e, j) => Math.fround(Math.tanh(row[j % dx]!) + e)));
  return { x, y };
}

describe('estimators equal float64 references on fixed random inputs', () => {
  for (const { n, d } of [
    { n: 4, d: 3 },
    { n: 7, d: 10 },
    { n: 12, d: 40 },
  ]) {
    const { x, y } = dependentPair(n, d, d + 2, 100 + n);
    const sigma = Math.sqrt(d);
    const kRef = gaussianGramRef(x, sigma);
    const lRef = gaussianGramRef(y, Math.sqrt(d + 2));
    const k = () => gaussianGram(tf.tensor2d(x), { sigma });
    const l = () => gaussianGram(tf.tensor2d(y), { sigma: Math.sqrt(d + 2) });

    it(`hsicBiased n=${n} d=${d} (1e-4 relative)`, () => {
      expect(relErr(value(hsicBiased(k(), l())), hsicBiasedRef(kRef, lRef))).toBeLessThan(1e-4);
    });
    it(`hsicUnbiased n=${n} d=${d} against the O(n⁴) U-statistic (1e-3 relative)`, () => {
      // The closed form subtracts terms of similar size: float32 keeps ~4 significant digits here.
      expect(relErr(value(hsicUnbiased(k(), l())), hsicUnbiasedRef(kRef, lRef))).toBeLessThan(1e-3);
    });
    it(`cka n=${n} d=${d} (1e-4 relative)`, () => {
      expect(relErr(value(cka(k(), l())), ckaRef(kRef, lRef))).toBeLessThan(1e-4);
    });
    it(`hsicNocco n=${n} d=${d}, ε = 1e-5 and 1e-2 (1e-3 relative)`, () => {
      // (K_c + εnI) has condition number ~1/(εn): float32 Gram entries bound the agreement to ~1e-3.
      expect(relErr(value(hsicNocco(k(), l())), hsicNoccoRef(kRef, lRef))).toBeLessThan(1e-3);
      expect(
        relErr(value(hsicNocco(k(), l(), { epsilon: 1e-2 })), hsicNoccoRef(kRef, lRef, 1e-2)),
      ).toBeLessThan(1e-4);
    });
  }

  it('hsicUnbiased at σ = 6 scaled by d, n = 16 (Gram entries all near 1): 1e-3 relative to float64, both entry points', () => {
    // HSIC ≈ 6e-6 here: on the raw Gram entries (≈ 1 − 10⁻³) the closed form's terms cancel and float32 was 4 % off.
    const { x, y } = dependentPair(16, 64, 64, 11);
    const ref = hsicUnbiasedRef(gaussianGramRef(x, 6, true), gaussianGramRef(y, 6, true));
    expect(ref).toBeGreaterThan(1e-6);
    expect(ref).toBeLessThan(1e-4);
    const viaHsic = value(
      hsic(tf.tensor2d(x), tf.tensor2d(y), { estimator: 'unbiased', sigma: 6, scaleByDim: true }),
    );
    expect(relErr(viaHsic, ref)).toBeLessThan(1e-3);
    // Given float32 Gram matrices, the best possible is the float64 value on those same float32 entries.
    const k = gaussianGram(tf.tensor2d(x), { sigma: 6, scaleByDim: true });
    const l = gaussianGram(tf.tensor2d(y), { sigma: 6, scaleByDim: true });
    const asRows = (t: tf.Tensor2D) => (t.arraySync() as number[][]).map((r) => r.map(Number));
    const onSameEntries = hsicUnbiasedRef(asRows(k), asRows(l));
    expect(relErr(value(hsicUnbiased(k, l)), onSameEntries)).toBeLessThan(1e-3);
    tf.dispose([k, l]);
  });

  it('linear-kernel estimators on [n, c, h, w] maps', () => {
    const { x, y } = dependentPair(10, 12, 12, 7);
    const kRef = linearGramRef(x);
    const lRef = linearGramRef(y);
    const xt = tf.tensor4d(x.flat(), [10, 3, 2, 2]);
    const yt = tf.tensor4d(y.flat(), [10, 2, 3, 2]);
    expect(relErr(value(hsic(xt, yt, { kernel: 'linear' })), hsicBiasedRef(kRef, lRef))).toBeLessThan(1e-4);
    expect(relErr(value(cka(linearGram(xt), linearGram(yt))), ckaRef(kRef, lRef))).toBeLessThan(1e-4);
  });

  it('hsic() dispatches kernel, estimator, sigma and scaleByDim like the explicit composition', () => {
    const { x, y } = dependentPair(8, 6, 6, 3);
    const ref = hsicNoccoRef(gaussianGramRef(x, 6, true), gaussianGramRef(y, 6, true), 1e-3);
    const v = value(
      hsic(tf.tensor2d(x), tf.tensor2d(y), { estimator: 'nocco', sigma: 6, scaleByDim: true, epsilon: 1e-3 }),
    );
    expect(relErr(v, ref)).toBeLessThan(1e-3);
  });
});

describe('estimator properties', () => {
  const { x, y } = dependentPair(16, 8, 8, 42);
  const kx = () => gaussianGram(tf.tensor2d(x), { sigma: 3 });
  const ky = () => gaussianGram(tf.tensor2d(y), { sigma: 3 });
  type Estimator = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Scalar;
  // At ε = 1e-5 a small-batch Gaussian Gram matrix is effectively full rank and R ≈ H for any input: NOCCO
  // saturates near n − 1 and cannot tell dependence apart. A wider kernel and a larger ridge let it.
  const estimators: Record<string, { f: Estimator; sigma: number }> = {
    hsicBiased: { f: (a, b) => hsicBiased(a, b), sigma: 3 },
    hsicUnbiased: { f: (a, b) => hsicUnbiased(a, b), sigma: 3 },
    cka: { f: (a, b) => cka(a, b), sigma: 3 },
    hsicNocco: { f: (a, b) => hsicNocco(a, b, { epsilon: 1e-3 }), sigma: 12 },
  };

  for (const [name, { f, sigma }] of Object.entries(estimators)) {
    const gram = (m: number[][]) => gaussianGram(tf.tensor2d(m), { sigma });

    it(`${name} is symmetric in its arguments`, () => {
      const a = value(f(gram(x), gram(y)));
      const b = value(f(gram(y), gram(x)));
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-4 * Math.abs(a));
    });

    it(`${name} is invariant to permuting the batch consistently`, () => {
      const perm = [3, 0, 15, 7, 1, 12, 9, 2, 14, 4, 11, 5, 13, 6, 10, 8];
      const px = perm.map((i) => x[i]!);
      const py = perm.map((i) => y[i]!);
      const a = value(f(gram(x), gram(y)));
      const b = value(f(gram(px), gram(py)));
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-3 * Math.abs(a));
      // An inconsistent permutation (y shuffled alone) breaks the pairing and must change the value.
      const c = value(f(gram(x), gram(py)));
      expect(Math.abs(a - c)).toBeGreaterThan(0.05 * Math.abs(a));
    });

    it(`${name}: independent inputs score far below dependent ones`, () => {
      const big = dependentPair(64, 8, 8, 77);
      const dependent = value(f(gram(big.x), gram(big.y)));
      const independent = value(f(gram(big.x), gram(randomMatrix(64, 8, 999))));
      expect(independent).toBeLessThan(0.5 * dependent);
    });
  }

  it('hsicNocco stays ≤ n and approaches n − 1 for identical, well-separated inputs', () => {
    const n = 16;
    const dependent = value(hsicNocco(kx(), ky()));
    expect(dependent).toBeGreaterThan(0);
    expect(dependent).toBeLessThanOrEqual(n);
    // K ≈ I: R has eigenvalue ~1 on the n−1 centred directions and 0 on the constant one.
    const spread = gaussianGram(tf.tensor2d(randomMatrix(n, 8, 5, 10)), { sigma: 0.5 });
    const same = value(hsicNocco(spread, spread.clone()));
    expect(same).toBeLessThanOrEqual(n);
    expect(same).toBeGreaterThan(n - 1 - 1e-2);
  });

  it('cka of a Gram matrix with itself is 1', () => {
    expect(value(cka(kx(), kx()))).toBeCloseTo(1, 5);
  });

  it("the unbiased estimator's mean over many draws matches the population HSIC; the biased one's does not", () => {
    // x, y scalar standard normals with correlation ρ: with linear kernels HSIC = ‖Cov(x, y)‖² = ρ².
    const rho = 0.6;
    const n = 8;
    const draws = 3000;
    const z = normals(2 * n * draws, 2024);
    const unbiased: number[] = [];
    const biased: number[] = [];
    tf.tidy(() => {
      for (let t = 0; t < draws; t++) {
        const xs: number[] = [];
        const ys: number[] = [];
        for (let i = 0; i < n; i++) {
          const a = z[2 * (t * n + i)]!;
          const b = z[2 * (t * n + i) + 1]!;
          xs.push(a);
          ys.push(rho * a + Math.sqrt(1 - rho * rho) * b);
        }
        const k = linearGram(tf.tensor2d(xs, [n, 1]));
        const l = linearGram(tf.tensor2d(ys, [n, 1]));
        unbiased.push(hsicUnbiased(k, l, { validate: false }).dataSync()[0]!);
        biased.push(hsicBiased(k, l, { validate: false }).dataSync()[0]!);
      }
    });
    const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
    const sd = Math.sqrt(mean(unbiased.map((v) => (v - mean(unbiased)) ** 2)));
    const standardError = sd / Math.sqrt(draws);
    expect(Math.abs(mean(unbiased) - rho * rho)).toBeLessThan(4 * standardError);
    expect(Math.abs(mean(biased) - rho * rho)).toBeGreaterThan(4 * standardError);
  });
});
