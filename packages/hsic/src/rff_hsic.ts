import * as tf from '@tensorflow/tfjs-core';
import { flattenSamples } from './flatten';
import { assertBatch, assertFinite, assertPositive, assertSameBatch } from './validate';

/** Options of {@link rffHsic}. */
export interface RffHsicOptions {
  /** Number D of random Fourier features per input. Default 1024. */
  numFeatures?: number;
  /** Gaussian bandwidth σ. Default 6. */
  sigma?: number;
  /** Use `σ·√d` as bandwidth, matching {@link GaussianGramOptions.scaleByDim}. Default false. */
  scaleByDim?: boolean;
  /** Seed of the random projections; the same seed gives the same estimate. Default 0. */
  seed?: number;
  /** Check the inputs for NaN/Infinity. Default true. */
  validate?: boolean;
}

/** Random Fourier features `√(2/D)·cos(XW + b)`, `W ~ N(0, σ⁻²)`, `b ~ U[0, 2π)` (Rahimi & Recht 2007). */
function randomFourierFeatures(
  x: tf.Tensor2D,
  numFeatures: number,
  sigma: number,
  seed: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const w = tf.randomNormal([x.shape[1], numFeatures], 0, 1 / sigma, 'float32', seed);
    const b = tf.randomUniform([1, numFeatures], 0, 2 * Math.PI, 'float32', seed + 1);
    return tf.mul(tf.cos(tf.add(tf.matMul(x, w), b)), Math.sqrt(2 / numFeatures)) as tf.Tensor2D;
  });
}

/**
 * Biased Gaussian HSIC approximated with random Fourier features (paper §3.2.2): with centred feature maps
 * `Φ_x, Φ_y : [n, D]`, `HSIC ≈ ‖Φ_xᵀ Φ_y‖²_F / (n − 1)²`. No n×n kernel is formed when D < n; memory is
 * O(n·D) for the features plus O(d·D) for the projection of d-dimensional inputs. The error falls as 1/√D.
 *
 * @param x - features `[n, ...]`.
 * @param y - features `[n, ...]`, same samples in the same order.
 */
export function rffHsic(x: tf.Tensor, y: tf.Tensor, options: RffHsicOptions = {}): tf.Scalar {
  const { numFeatures = 1024, sigma = 6, scaleByDim = false, seed = 0, validate = true } = options;
  assertBatch(x, 'x', 'rffHsic');
  assertBatch(y, 'y', 'rffHsic');
  assertSameBatch(x, y, ['x', 'y'], 'rffHsic');
  assertPositive(sigma, 'sigma', 'rffHsic');
  if (!Number.isInteger(numFeatures) || numFeatures < 1) {
    throw new Error(
      `Option 'numFeatures' passed to 'rffHsic' must be a positive integer, but got ${numFeatures}.`,
    );
  }
  if (validate) {
    assertFinite(x, 'x', 'rffHsic');
    assertFinite(y, 'y', 'rffHsic');
  }
  return tf.tidy(() => {
    const fx = flattenSamples(x);
    const fy = flattenSamples(y);
    const n = fx.shape[0];
    const sigmaFor = (d: number) => sigma * (scaleByDim ? Math.sqrt(d) : 1);
    const phiX = randomFourierFeatures(fx, numFeatures, sigmaFor(fx.shape[1]), seed);
    const phiY = randomFourierFeatures(fy, numFeatures, sigmaFor(fy.shape[1]), seed + 2);
    const cx = tf.sub(phiX, tf.mean(phiX, 0, true));
    const cy = tf.sub(phiY, tf.mean(phiY, 0, true));
    // ‖Φxᵀ Φy‖²_F = tr(ΦxΦxᵀ ΦyΦyᵀ): take whichever side is smaller.
    const squaredNorm =
      numFeatures <= n
        ? tf.sum(tf.square(tf.matMul(cx, cy, true, false)))
        : tf.sum(tf.mul(tf.matMul(cx, cx, false, true), tf.matMul(cy, cy, false, true)));
    return tf.div(squaredNorm, (n - 1) * (n - 1)) as tf.Scalar;
  });
}
