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
  medianHeuristicSigma,
  rffHsic,
} from '../src';

describe('bad input gets a clear error naming the argument and the function', () => {
  const x = () => tf.randomNormal([5, 3], 0, 1, 'float32', 1);

  it('batch sizes differ', () => {
    expect(() => hsic(x(), tf.zeros([4, 3]))).toThrow(
      "Arguments 'x' and 'y' passed to 'hsic' must have the same batch size, but got 5 and 4.",
    );
    expect(() => hsicBiased(tf.eye(5) as tf.Tensor2D, tf.eye(4) as tf.Tensor2D)).toThrow(
      /same batch size, but got 5 and 4/,
    );
    expect(() => rffHsic(x(), tf.zeros([6, 3]))).toThrow(/'rffHsic' must have the same batch size/);
  });

  it('n < 4 for the unbiased estimator', () => {
    expect(() => hsicUnbiased(tf.eye(3) as tf.Tensor2D, tf.eye(3) as tf.Tensor2D)).toThrow(
      "Argument 'K' passed to 'hsicUnbiased' needs a batch of at least 4 samples, but got 3.",
    );
    expect(() => hsic(tf.zeros([3, 2]), tf.zeros([3, 2]), { estimator: 'unbiased' })).toThrow(
      /at least 4 samples/,
    );
    const three = [{ a: tf.zeros([3, 2]) }, { a: tf.ones([3, 2]) }];
    expect(() => collaborativeLoss(three, { estimator: 'unbiased' })).toThrow(
      /'unbiased' needs a batch of at least 4/,
    );
  });

  it('non-finite values', () => {
    const bad = tf.tensor2d([
      [1, Number.NaN],
      [0, 1],
      [2, 2],
      [3, 1],
    ]);
    expect(() => hsic(bad, x().slice(0, 4))).toThrow(
      "Argument 'x' passed to 'hsic' contains NaN or infinite values.",
    );
    const inf = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, Number.POSITIVE_INFINITY, 0],
      [0, 0, 0, 1],
    ]);
    expect(() => hsicBiased(tf.eye(4) as tf.Tensor2D, inf)).toThrow(
      /'L' passed to 'hsicBiased' contains NaN/,
    );
    expect(() => collaborativeLoss([{ l1: bad }, { l1: bad.clone() }])).toThrow(
      /'features\[0\]\.l1' .* NaN or infinite/,
    );
    expect(() => rffHsic(bad, bad)).toThrow(/'rffHsic' contains NaN/);
  });

  it('validate: false skips the finiteness read-back', () => {
    const k = tf.tensor2d([
      [1, Number.NaN],
      [Number.NaN, 1],
    ]);
    expect(Number.isNaN(hsicBiased(k, k, { validate: false }).dataSync()[0])).toBe(true);
  });

  it('rank < 2 features', () => {
    const v = tf.tensor1d([1, 2, 3]);
    for (const [name, f] of [
      ['gaussianGram', () => gaussianGram(v)],
      ['laplaceGram', () => laplaceGram(v)],
      ['linearGram', () => linearGram(v)],
      ['medianHeuristicSigma', () => medianHeuristicSigma(v)],
      ['hsic', () => hsic(v, v)],
    ] as const) {
      expect(f).toThrow(
        `Argument 'x' passed to '${name}' must have rank >= 2 ([n, ...] features), but got rank 1`,
      );
    }
  });

  it('Gram matrices that are not square', () => {
    expect(() => cka(tf.zeros([3, 2]) as tf.Tensor2D, tf.eye(3) as tf.Tensor2D)).toThrow(
      "Argument 'K' passed to 'cka' must be a square [n, n] matrix, but got shape [3, 2].",
    );
  });

  it('bad options', () => {
    expect(() => gaussianGram(x(), { sigma: 0 })).toThrow(
      "Option 'sigma' passed to 'gaussianGram' must be a finite number > 0, but got 0.",
    );
    expect(() => hsicNocco(tf.eye(4) as tf.Tensor2D, tf.eye(4) as tf.Tensor2D, { epsilon: -1 })).toThrow(
      /Option 'epsilon' passed to 'hsicNocco' must be a finite number > 0/,
    );
    expect(() => rffHsic(x(), x(), { numFeatures: 0 })).toThrow(/'numFeatures' .* positive integer/);
    // @ts-expect-error: an unknown estimator from an untyped config
    expect(() => hsic(x(), x(), { estimator: 'nope' })).toThrow(/Unknown estimator 'nope'/);
    // @ts-expect-error: an unknown kernel from an untyped config
    expect(() => hsic(x(), x(), { kernel: 'poly' })).toThrow(/Unknown kernel 'poly'/);
  });

  it('collaborativeLoss: modalities that do not line up', () => {
    expect(() => collaborativeLoss([{ a: x() }])).toThrow(/at least 2 quality modalities, but got 1/);
    expect(() => collaborativeLoss([{ a: x() }, { b: x() }])).toThrow(
      /modality 1 has taps \[b\] but modality 0 has \[a\]; every modality needs the same taps/,
    );
    expect(() => collaborativeLoss([{ a: x() }, { a: tf.zeros([4, 3]) }])).toThrow(
      /tap 'a' has shape \[4, 3\] in modality 1 but \[5, 3\] in modality 0/,
    );
    expect(() => collaborativeLoss([{ a: x() }, { a: x() }], { tapWeights: { c: 1 } })).toThrow(
      /names tap 'c', which is not among the features' taps \[a\]/,
    );
    expect(() => collaborativeLoss([{ a: x() }, { a: x() }], { tapWeights: { a: -1 } })).toThrow(
      /must be finite and >= 0/,
    );
    // @ts-expect-error: an unknown preset from an untyped config
    expect(() => collaborativeLoss([{ a: x() }, { a: x() }], { preset: 'mine' })).toThrow(
      /Unknown preset 'mine'/,
    );
  });
});
