import { Rng } from '@qad/core';
import * as tf from '@tensorflow/tfjs';
import type { BatchSource, EvalSource } from '../src/sources';

/** A generator whose stream is a pure function of the seed, so that batch (e, i) is too. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** Sample `i`'s image at quality `q`: noise, plus a bright square for fakes, blurred by the quality level. */
function image(i: number, q: number, size: number): Float32Array {
  const r = rng(i * 7919 + 13);
  const fake = i % 2;
  const out = new Float32Array(size * size * 3);
  for (let k = 0; k < out.length; k++) out[k] = r() - 0.5 + (q * (r() - 0.5)) / 2;
  if (fake) for (let y = 2; y < 5; y++) for (let x = 2; x < 5; x++) out[(y * size + x) * 3]! += 1 / (1 + q);
  return out;
}

export function syntheticSource(options: {
  seed: number;
  samples: number;
  batch: number;
  qualities: string[];
  size?: number;
  failAt?: { epoch: number; batch: number };
}): BatchSource {
  const size = options.size ?? 8;
  const { samples, batch: b, qualities } = options;
  return {
    batchesPerEpoch: Math.floor(samples / b),
    qualities,
    async *epoch(epoch, from = 0) {
      const r = rng(options.seed * 1000 + epoch);
      const order = Array.from({ length: samples }, (_, i) => i);
      for (let i = samples - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let k = from; k < Math.floor(samples / b); k++) {
        if (options.failAt && options.failAt.epoch === epoch && options.failAt.batch === k) {
          throw new Error(`simulated crash at epoch ${epoch} batch ${k}`);
        }
        const blockRng = rng(options.seed * 7 + epoch * 1000 + k);
        const blocks = qualities.map((q, qi) => ({ q, qi, key: blockRng() })).sort((x, y) => x.key - y.key);
        const ids = order.slice(k * b, (k + 1) * b);
        const pixels = new Float32Array(blocks.length * b * size * size * 3);
        blocks.forEach((blk, m) => {
          ids.forEach((id, n) => {
            pixels.set(image(id, blk.qi, size), (m * b + n) * size * size * 3);
          });
        });
        const images = tf.tensor4d(pixels, [blocks.length * b, size, size, 3]);
        const labels = tf.tensor1d(
          blocks.flatMap(() => ids.map((id) => id % 2)),
          'int32',
        );
        yield {
          images,
          labels,
          qualities: blocks.map((x) => x.q),
          batchSize: b,
          sampleIndices: ids,
          dispose: () => tf.dispose([images, labels]),
        };
      }
    },
  };
}

export function syntheticEval(options: {
  samples: number;
  qualities: string[];
  size?: number;
  offset?: number;
}): EvalSource {
  const size = options.size ?? 8;
  return {
    qualities: options.qualities,
    async *batches(quality) {
      const qi = options.qualities.indexOf(quality);
      const ids = Array.from({ length: options.samples }, (_, i) => i + (options.offset ?? 1000));
      const pixels = new Float32Array(ids.length * size * size * 3);
      ids.forEach((id, n) => {
        pixels.set(image(id, qi, size), n * size * size * 3);
      });
      const images = tf.tensor4d(pixels, [ids.length, size, size, 3]);
      yield {
        images,
        labels: ids.map((id) => id % 2),
        videos: ids.map((id) => `v${id % 2}-${Math.floor(id / 4)}`),
        dispose: () => images.dispose(),
      };
    },
  };
}
