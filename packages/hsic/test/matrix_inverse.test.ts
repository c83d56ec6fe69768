import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { matrixInverse } from '../src';
import {
  add,
  finiteDifferenceGradient,
  flat,
  identity,
  inverseRef,
  type Matrix,
  matmul,
  maxScaledError,
  randomMatrix,
} from './reference';

describe('matrixInverse', () => {
  it('inverts a 2×2 matrix in closed form: [[a, b], [c, d]]⁻¹ = [[d, −b], [−c, a]] / (ad − bc)', () => {
    const inv = matrixInverse(
      tf.tensor2d([
        [4, 7],
        [2, 6],
      ]),
    ).arraySync();
    const det = 4 * 6 - 7 * 2;
    expect(inv[0]![0]).toBeCloseTo(6 / det, 6);
    expect(inv[0]![1]).toBeCloseTo(-7 / det, 6);
    expect(inv[1]![0]).toBeCloseTo(-2 / det, 6);
    expect(inv[1]![1]).toBeCloseTo(4 / det, 6);
  });

  it('needs pivoting: a zero on the leading diagonal', () => {
    const inv = matrixInverse(
      tf.tensor2d([
        [0, 1],
        [1, 0],
      ]),
    ).arraySync();
    expect(inv).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  for (const n of [1, 3, 8, 33]) {
    it(`A·A⁻¹ = I and matches a float64 solve, n = ${n}`, () => {
      const a = add(randomMatrix(n, n, n), identity(n), 2);
      const inv = matrixInverse(tf.tensor2d(a)).arraySync();
      const product = matmul(a, inv);
      expect(maxScaledError(flat(product), flat(identity(n)))).toBeLessThan(1e-5);
      expect(maxScaledError(flat(inv), flat(inverseRef(a)))).toBeLessThan(1e-6);
    });
  }

  it('gradient of Σ W∘A⁻¹ matches central finite differences of the float64 inverse', () => {
    const n = 6;
    const a = add(randomMatrix(n, n, 1), identity(n), 3);
    const w = randomMatrix(n, n, 2);
    const f = (m: Matrix) =>
      inverseRef(m).reduce((s, row, i) => s + row.reduce((t, v, j) => t + v * w[i]![j]!, 0), 0);
    const expected = finiteDifferenceGradient(f, a);
    const wt = tf.tensor2d(w);
    const grad = tf.grad((at: tf.Tensor) => tf.sum(tf.mul(matrixInverse(at as tf.Tensor2D), wt)))(
      tf.tensor2d(a),
    );
    expect(maxScaledError(grad.dataSync(), expected)).toBeLessThan(1e-5);
  });

  it('rejects singular, non-square and non-finite input with a clear message', () => {
    expect(() =>
      matrixInverse(
        tf.tensor2d([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toThrow(/singular 2×2 matrix/);
    expect(() => matrixInverse(tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(
      /Argument 'a' passed to 'matrixInverse' must be a square \[n, n\] matrix, but got shape \[2, 3\]/,
    );
    expect(() =>
      matrixInverse(
        tf.tensor2d([
          [1, Number.NaN],
          [0, 1],
        ]),
      ),
    ).toThrow(/NaN or infinite/);
  });

  it('leaves no tensors behind, in forward and in gradient', () => {
    const a = tf.tensor2d(add(randomMatrix(4, 4, 9), identity(4), 2));
    const before = tf.memory().numTensors;
    matrixInverse(a).dispose();
    tf.grad((x: tf.Tensor) => tf.sum(matrixInverse(x as tf.Tensor2D)))(a).dispose();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});
