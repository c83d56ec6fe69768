import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  cka,
  collaborativeLoss,
  gaussianGram,
  hsic,
  hsicBiased,
  hsicNocco,
  hsicUnbiased,
  laplaceGram,
  linearGram,
  matrixInverse,
  medianHeuristicSigma,
  rffHsic,
  splitQualityBlocks,
} from '../src';

/** Runs `f`, disposes what it returned, and reports how many tensors were left behind. */
function leaked(f: () => tf.TensorContainer | number): number {
  const before = tf.memory().numTensors;
  tf.dispose(f() as tf.TensorContainer);
  return tf.memory().numTensors - before;
}

describe('every public call leaves tf.memory().numTensors unchanged', () => {
  const x = tf.randomNormal([6, 2, 2, 2], 0, 1, 'float32', 3);
  const y = tf.randomNormal([6, 5], 0, 1, 'float32', 4);
  const k = gaussianGram(x);
  const l = gaussianGram(y);
  const invertible = tf.tidy(() => tf.add(k, tf.eye(6)) as tf.Tensor2D);
  const shortBatch = tf.zeros([5, 1]);
  const calls: Record<string, () => tf.TensorContainer | number> = {
    gaussianGram: () => gaussianGram(x, { scaleByDim: true }),
    laplaceGram: () => laplaceGram(x),
    linearGram: () => linearGram(x),
    medianHeuristicSigma: () => medianHeuristicSigma(x),
    matrixInverse: () => matrixInverse(invertible),
    hsicBiased: () => hsicBiased(k, l),
    hsicUnbiased: () => hsicUnbiased(k, l),
    cka: () => cka(k, l),
    hsicNocco: () => hsicNocco(k, l),
    'hsic (each estimator)': () =>
      (['biased', 'unbiased', 'cka', 'nocco'] as const).map((e) => hsic(x, y, { estimator: e })),
    'hsic (median sigma, laplace)': () => hsic(x, y, { sigma: 'median', kernel: 'laplace' }),
    rffHsic: () => rffHsic(x, y, { numFeatures: 32 }),
    collaborativeLoss: () =>
      collaborativeLoss([
        { a: x, b: y },
        { a: x, b: y },
        { a: x, b: y },
      ]),
    splitQualityBlocks: () => splitQualityBlocks({ a: x, b: y }, 3).flatMap((m) => Object.values(m)),
    'tf.grad of hsic': () =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => hsic(a, b, { estimator: 'nocco' }))([x, y]),
    'a failing call': () => {
      try {
        hsic(x, shortBatch);
      } catch {
        /* the error path must not leak either */
      }
      return [];
    },
  };
  for (const [name, f] of Object.entries(calls)) {
    it(name, () => {
      expect(leaked(f)).toBe(0);
    });
  }
});
