import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { PaddedMaxPooling2D, registerBackboneLayers } from '../src';
import { values } from './helpers';

/**
 * PyTorch's max pool by hand: padded cells never win; the gradient goes to each window's maximum (the values
 * are random, so there are no ties).
 */
function referencePool(
  x: Float32Array,
  [n, h, w, c]: number[],
  k: number,
  s: number,
  p: number,
  dy?: Float32Array,
) {
  const oh = Math.floor((h! + 2 * p - k) / s) + 1;
  const ow = Math.floor((w! + 2 * p - k) / s) + 1;
  const y = new Float32Array(n! * oh * ow * c!);
  const dx = new Float32Array(x.length);
  for (let b = 0; b < n!; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c!; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) {
              const yy = oy * s + ky - p;
              const xx = ox * s + kx - p;
              if (yy < 0 || yy >= h! || xx < 0 || xx >= w!) continue;
              const i = ((b * h! + yy) * w! + xx) * c! + ch;
              if (x[i]! > best) {
                best = x[i]!;
                at = i;
              }
            }
          const o = ((b * oh + oy) * ow + ox) * c! + ch;
          y[o] = best;
          if (dy) dx[at] = dx[at]! + dy[o]!;
        }
  return { y, dx, shape: [n!, oh, ow, c!] };
}

describe('PaddedMaxPooling2D', () => {
  it('forward and gradient equal PyTorch-style max pooling with −∞ padding, on odd and even sides', () => {
    for (const shape of [
      [2, 8, 7, 3],
      [1, 9, 10, 2],
    ]) {
      const layer = new PaddedMaxPooling2D({ poolSize: 3, strides: 2, padding: 1 });
      const x = tf.tensor(values(tf.util.sizeFromShape(shape), 5), shape);
      const y = layer.apply(x) as tf.Tensor;
      const dy = tf.tensor(values(y.size, 6), y.shape);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dy)))(x);
      const want = referencePool(x.dataSync() as Float32Array, shape, 3, 2, 1, dy.dataSync() as Float32Array);
      expect(y.shape).toEqual(want.shape);
      expect(layer.computeOutputShape([null, shape[1]!, shape[2]!, shape[3]!])).toEqual([
        null,
        ...want.shape.slice(1),
      ]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(want.y));
      // Overlapping windows add into the same cells, in an order that may differ: float32 rounding only.
      const got = dx.dataSync();
      const worst = want.dx.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
      expect(worst).toBeLessThanOrEqual(1e-6);
      expect(want.dx.filter((v) => v !== 0).length).toBeGreaterThan(0);
      tf.dispose([x, y, dy, dx]);
    }
  });

  it('round-trips through tfjs serialisation and rejects bad arguments by name', async () => {
    registerBackboneLayers();
    const input = tf.input({ shape: [8, 8, 2] });
    const output = new PaddedMaxPooling2D({ poolSize: 3, strides: 2, padding: 1, name: 'pool' }).apply(
      input,
    ) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const copy = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as never);
    const layer = copy.getLayer('pool') as PaddedMaxPooling2D;
    expect(layer).toBeInstanceOf(PaddedMaxPooling2D);
    expect([layer.poolSize, layer.strides, layer.padding]).toEqual([3, 2, 1]);
    expect(copy.outputs[0]!.shape).toEqual([null, 4, 4, 2]);
    copy.dispose();
    model.dispose();
    expect(() => new PaddedMaxPooling2D({ poolSize: 3, strides: 0, padding: 1 })).toThrow(
      'PaddedMaxPooling2D: strides must be an integer ≥ 1, got 0',
    );
    expect(() => new PaddedMaxPooling2D({ poolSize: 3, strides: 2, padding: 2 })).toThrow(
      'PaddedMaxPooling2D: padding (2) must be at most half the pool size (3)',
    );
  });
});
