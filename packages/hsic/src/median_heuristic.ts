import * as tf from '@tensorflow/tfjs-core';
import { flattenSamples } from './flatten';
import { squaredDistances } from './squared_distances';
import { assertBatch, assertMinBatch } from './validate';

/**
 * The median heuristic for a Gaussian or Laplace bandwidth: the median of the pairwise Euclidean distances
 * `‖x_i − x_j‖` over all pairs i < j (Gretton et al.). The result is a plain number: the bandwidth is a
 * constant of the loss, not something gradients flow through.
 *
 * @param x - features `[n, ...]` with n ≥ 2; each sample is flattened.
 * @returns σ > 0, or 1 when every pair coincides (so that a kernel stays defined).
 */
export function medianHeuristicSigma(x: tf.Tensor): number {
  assertBatch(x, 'x', 'medianHeuristicSigma');
  assertMinBatch(x, 2, 'x', 'medianHeuristicSigma');
  const n = x.shape[0]!;
  const d2 = tf.tidy(() => squaredDistances(flattenSamples(x)).dataSync());
  const distances: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) distances.push(Math.sqrt(d2[i * n + j]!));
  }
  distances.sort((a, b) => a - b);
  const mid = distances.length >> 1;
  const median = distances.length % 2 === 1 ? distances[mid]! : (distances[mid - 1]! + distances[mid]!) / 2;
  return median > 0 ? median : 1;
}
