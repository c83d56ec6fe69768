import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { klAscent, qualityKlDivergence } from '../src';
import { values } from './helpers';

function softmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

function rows(flat: readonly number[], classes: number): number[][] {
  return Array.from({ length: flat.length / classes }, (_, i) => flat.slice(i * classes, (i + 1) * classes));
}

// M = 3 quality blocks of B = 2 samples, 3 classes.
const LOGITS = [
  [2.0, -1.0, 0.5],
  [-0.3, 0.8, 1.1],
  [1.2, -0.4, 0.9],
  [0.1, 0.2, 0.3],
  [-1.5, 2.2, 0.0],
  [0.7, 0.7, -2.0],
];

describe('AWP-KL: qualityKlDivergence / klAscent', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is 0 when every block equals the raw block', () => {
    const block = [LOGITS[0]!, LOGITS[1]!];
    const logits = tf.tensor2d([...block, ...block, ...block]);
    const kl = qualityKlDivergence(logits, { numQualities: 3 });
    expect(kl.dataSync()[0]).toBe(0);
    tf.dispose([logits, kl]);
  });

  it('matches a hand-computed value, with any raw block', () => {
    const b = 2;
    for (const rawBlock of [0, 2]) {
      let expected = 0;
      for (let m = 0; m < 3; m++) {
        if (m === rawBlock) continue;
        for (let i = 0; i < b; i++) {
          const p = softmax(LOGITS[rawBlock * b + i]!);
          const q = softmax(LOGITS[m * b + i]!);
          for (let c = 0; c < 3; c++) expected += (p[c]! * Math.log(p[c]! / q[c]!)) / (2 * b);
        }
      }
      const logits = tf.tensor2d(LOGITS);
      const kl = qualityKlDivergence(logits, { numQualities: 3, rawBlock });
      expect(expected).toBeGreaterThan(0.1);
      expect(Math.abs(kl.dataSync()[0]! - expected) / expected).toBeLessThan(1e-5);
      tf.dispose([logits, kl]);
    }
  });

  it('sends gradient only through the compressed blocks (raw block is a stop-gradient target)', () => {
    const logits = tf.tensor2d(LOGITS);
    const grad = tf.grad((z: tf.Tensor) => qualityKlDivergence(z as tf.Tensor2D, { numQualities: 3 }))(
      logits,
    );
    const g = rows(values(grad), 3);
    // d/dz_c of KL(p_raw ‖ softmax(z_c)) is softmax(z_c) − p_raw, divided by the (M − 1)·B averaged terms.
    for (let i = 0; i < 6; i++) {
      const expected =
        i < 2 ? [0, 0, 0] : softmax(LOGITS[i]!).map((q, c) => (q - softmax(LOGITS[i % 2]!)[c]!) / 4);
      g[i]!.forEach((gc, c) => {
        expect(gc).toBeCloseTo(expected[c]!, 6);
      });
    }
    expect(
      g
        .slice(2)
        .flat()
        .some((gc) => Math.abs(gc) > 1e-3),
    ).toBe(true);
    tf.dispose([logits, grad]);
  });

  it('klAscent builds the loss function from a forward pass', () => {
    const w = tf.variable(tf.tensor2d(LOGITS));
    const lossFn = klAscent(() => tf.mul(w, 1) as tf.Tensor2D, { numQualities: 3 });
    const direct = qualityKlDivergence(w as unknown as tf.Tensor2D, { numQualities: 3 });
    const viaAscent = lossFn();
    expect(viaAscent.dataSync()[0]).toBe(direct.dataSync()[0]);
    tf.dispose([direct, viaAscent, w]);
  });

  it('rejects bad layouts with the argument and function named', () => {
    const logits = tf.tensor2d(LOGITS);
    expect(() => qualityKlDivergence(logits, { numQualities: 4 })).toThrow(
      /Argument 'logits' passed to 'qualityKlDivergence' has 6 rows, which is not a positive multiple of M = 4/,
    );
    expect(() => qualityKlDivergence(logits, { numQualities: 1 })).toThrow(
      /Argument 'numQualities' passed to 'qualityKlDivergence' must be an integer >= 2/,
    );
    expect(() => qualityKlDivergence(logits, { numQualities: 3, rawBlock: 3 })).toThrow(/Option 'rawBlock'/);
    expect(() => qualityKlDivergence(tf.tensor1d([1, 2]) as never, { numQualities: 2 })).toThrow(/rank 2/);
    logits.dispose();
  });
});
