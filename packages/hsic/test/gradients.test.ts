import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cka, type EstimatorName, hsic, hsicBiased, hsicNocco, hsicUnbiased, type KernelName } from '../src';
import {
  ckaRef,
  finiteDifferenceGradient,
  gaussianGramRef,
  hsicBiasedRef,
  hsicNoccoRef,
  hsicUnbiasedRef,
  laplaceGramRef,
  linearGramRef,
  type Matrix,
  maxScaledError,
  normals,
  randomMatrix,
} from './reference';

// Analytic float32 gradients against central differences (h = 1e-6) of the float64 references: the error is
// float32 rounding in the forward and backward passes, so 1e-3 of the largest gradient entry.
const TOL = 1e-3;

const estimatorRefs: Record<EstimatorName, (k: Matrix, l: Matrix) => number> = {
  biased: hsicBiasedRef,
  unbiased: hsicUnbiasedRef,
  cka: ckaRef,
  nocco: (k, l) => hsicNoccoRef(k, l, 1e-3),
};
const estimatorOps: Record<EstimatorName, (k: tf.Tensor2D, l: tf.Tensor2D) => tf.Scalar> = {
  biased: (k, l) => hsicBiased(k, l),
  unbiased: (k, l) => hsicUnbiased(k, l),
  cka: (k, l) => cka(k, l),
  nocco: (k, l) => hsicNocco(k, l, { epsilon: 1e-3 }),
};

/** A random symmetric direction, so that perturbed Gram matrices stay symmetric like real ones. */
function symmetricDirection(n: number, seed: number): Matrix {
  const v = normals(n * n, seed);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => v[Math.min(i, j) * n + Math.max(i, j)]!),
  );
}

describe('estimator gradients with respect to the Gram matrices', () => {
  const n = 7;
  const k = gaussianGramRef(randomMatrix(n, 5, 1), 2);
  const l = gaussianGramRef(randomMatrix(n, 5, 2), 2);
  for (const name of Object.keys(estimatorRefs) as EstimatorName[]) {
    it(`${name}: directional derivatives along symmetric directions match central differences`, () => {
      const [gk, gl] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        estimatorOps[name](a as tf.Tensor2D, b as tf.Tensor2D),
      )([tf.tensor2d(k), tf.tensor2d(l)]);
      const gkv = gk!.arraySync() as number[][];
      const glv = gl!.arraySync() as number[][];
      for (let trial = 0; trial < 3; trial++) {
        const ek = symmetricDirection(n, 10 + trial);
        const el = symmetricDirection(n, 20 + trial);
        const h = 1e-6;
        const shifted = (s: number) =>
          estimatorRefs[name](
            k.map((r, i) => r.map((v, j) => v + s * ek[i]![j]!)),
            l.map((r, i) => r.map((v, j) => v + s * el[i]![j]!)),
          );
        const fd = (shifted(h) - shifted(-h)) / (2 * h);
        let analytic = 0;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) analytic += gkv[i]![j]! * ek[i]![j]! + glv[i]![j]! * el[i]![j]!;
        expect(Math.abs(analytic - fd)).toBeLessThan(TOL * Math.max(1e-3, Math.abs(fd)));
      }
    });
  }
});

describe('gradients of hsic() with respect to the features', () => {
  const grams: Record<KernelName, (x: Matrix) => Matrix> = {
    gaussian: (x) => gaussianGramRef(x, 1.5, true),
    laplace: (x) => laplaceGramRef(x, 3),
    linear: linearGramRef,
  };
  const kernelOptions: Record<KernelName, { sigma: number; scaleByDim: boolean }> = {
    gaussian: { sigma: 1.5, scaleByDim: true },
    laplace: { sigma: 3, scaleByDim: false },
    linear: { sigma: 1, scaleByDim: false },
  };
  const n = 6;
  const x = randomMatrix(n, 4, 31);
  const y = randomMatrix(n, 3, 32);
  for (const kernel of Object.keys(grams) as KernelName[]) {
    for (const estimator of Object.keys(estimatorRefs) as EstimatorName[]) {
      it(`${estimator} with the ${kernel} kernel`, () => {
        const f = (xs: Matrix) => estimatorRefs[estimator](grams[kernel](xs), grams[kernel](y));
        const expected = finiteDifferenceGradient(f, x);
        const yt = tf.tensor2d(y);
        const grad = tf.grad((xt: tf.Tensor) =>
          hsic(xt, yt, { estimator, kernel, ...kernelOptions[kernel], epsilon: 1e-3 }),
        )(tf.tensor2d(x));
        expect(maxScaledError(grad.dataSync(), expected)).toBeLessThan(TOL);
      });
    }
  }

  it("nocco at the authors' ε = 1e-5 (float32-limited: 1e-2 of the largest entry; measured 2e-3)", () => {
    const f = (xs: Matrix) => hsicNoccoRef(gaussianGramRef(xs, 6, true), gaussianGramRef(y, 6, true), 1e-5);
    const expected = finiteDifferenceGradient(f, x);
    const yt = tf.tensor2d(y);
    const grad = tf.grad((xt: tf.Tensor) => hsic(xt, yt, { estimator: 'nocco', sigma: 6, scaleByDim: true }))(
      tf.tensor2d(x),
    );
    expect(maxScaledError(grad.dataSync(), expected)).toBeLessThan(1e-2);
  });
});
