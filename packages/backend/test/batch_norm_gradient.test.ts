import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerBroadcastBatchNormGradient } from '../src/batch_norm_gradient';
import { relativeError, values } from './parity_helpers';

registerBroadcastBatchNormGradient();

describe('the broadcasting FusedBatchNorm gradient', () => {
  for (const perChannel of [true, false]) {
    it(`equals the gradient of the same formula written with elementary ops (${perChannel ? 'per-channel' : 'full-shape'} statistics)`, async () => {
      await tf.setBackend('cpu');
      const shape = [2, 3, 4, 5];
      const stat = perChannel ? [5] : shape;
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const x = tf.tensor(values(size(shape), 1), shape);
      const mean = tf.tensor(values(size(stat), 2), stat);
      const variance = tf.add(tf.abs(tf.tensor(values(size(stat), 3), stat)), 0.5);
      const scale = tf.tensor(values(size(stat), 4), stat);
      const offset = tf.tensor(values(size(stat), 5), stat);
      const weights = tf.tensor(values(size(shape), 6), shape);
      const eps = 1e-3;
      const fused = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        tf.sum(tf.mul(tf.batchNorm(a, m, v, o, s, eps), weights));
      const elementary = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        tf.sum(tf.mul(tf.add(tf.mul(tf.mul(tf.sub(a, m), tf.rsqrt(tf.add(v, eps))), s), o), weights));
      const inputs = [x, mean, variance, scale, offset];
      const ours = tf.grads(fused as (...t: tf.Tensor[]) => tf.Tensor)(inputs);
      const reference = tf.grads(elementary as (...t: tf.Tensor[]) => tf.Tensor)(inputs);
      ours.forEach((g, i) => {
        expect(g.shape).toEqual(reference[i]!.shape);
        expect(
          relativeError(g.dataSync() as Float32Array, reference[i]!.dataSync() as Float32Array),
        ).toBeLessThan(1e-5);
      });
    });
  }
});
