import * as tf from '@tensorflow/tfjs-core';
import { assertSquare } from './validate';

/**
 * Inverts a row-major n×n matrix in float64 by Gauss–Jordan elimination with partial pivoting.
 * Returns null when a pivot vanishes (the matrix is singular to working precision).
 */
function invertFloat64(values: ArrayLike<number>, n: number): Float64Array | null {
  const width = 2 * n;
  const work = new Float64Array(n * width);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = values[i * n + j]!;
      work[i * width + j] = v;
      scale = Math.max(scale, Math.abs(v));
    }
    work[i * width + n + i] = 1;
  }
  const singularBelow = scale * n * Number.EPSILON;
  for (let col = 0; col < n; col++) {
    let pivotRow = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(work[r * width + col]!) > Math.abs(work[pivotRow * width + col]!)) pivotRow = r;
    }
    const pivot = work[pivotRow * width + col]!;
    if (!(Math.abs(pivot) > singularBelow)) return null;
    if (pivotRow !== col) {
      for (let j = 0; j < width; j++) {
        const t = work[col * width + j]!;
        work[col * width + j] = work[pivotRow * width + j]!;
        work[pivotRow * width + j] = t;
      }
    }
    for (let j = 0; j < width; j++) work[col * width + j]! /= pivot;
    for (let r = 0; r < n; r++) {
      const factor = work[r * width + col]!;
      if (r === col || factor === 0) continue;
      for (let j = 0; j < width; j++) work[r * width + j]! -= factor * work[col * width + j]!;
    }
  }
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) inverse[i * n + j] = work[i * width + n + j]!;
  }
  return inverse;
}

const differentiableInverse = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const a = args[0] as tf.Tensor2D;
  const save = args[1] as tf.GradSaveFunc;
  const n = a.shape[0]!;
  const values = a.dataSync();
  if (!values.every(Number.isFinite)) {
    throw new Error(`Argument 'a' passed to 'matrixInverse' contains NaN or infinite values.`);
  }
  const inverse = invertFloat64(values, n);
  if (inverse === null) {
    throw new Error(`'matrixInverse' got a singular ${n}×${n} matrix (a pivot vanished in float64).`);
  }
  const value = tf.tensor2d(Float32Array.from(inverse), [n, n]);
  save([value]);
  return {
    value,
    // d(A⁻¹) = −A⁻¹ dA A⁻¹, so ∂L/∂A = −A⁻ᵀ (∂L/∂A⁻¹) A⁻ᵀ.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const inv = saved[0] as tf.Tensor2D;
      return tf.neg(tf.matMul(tf.matMul(inv, dy as tf.Tensor2D, true, false), inv, false, true));
    },
  };
});

/**
 * Inverse of a square matrix, differentiable with `tf.grad` (tfjs ships no matrix inverse).
 *
 * The elimination runs on the host in float64 — one read-back per call, cheap for the batch-sized
 * (n ≤ a few hundred) matrices HSIC needs — and its result is rounded to float32. The gradient is the
 * closed form `∂L/∂A = −A⁻ᵀ (∂L/∂A⁻¹) A⁻ᵀ`, built from tfjs ops so it runs on any backend.
 *
 * @param a - `[n, n]`, non-singular.
 * @throws if `a` is not square, holds non-finite values, or is singular.
 */
export function matrixInverse(a: tf.Tensor2D): tf.Tensor2D {
  assertSquare(a, 'a', 'matrixInverse');
  return differentiableInverse(a) as tf.Tensor2D;
}
