import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { meanCrossEntropy, stopGradient } from '../src';

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

function softmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
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

describe('meanCrossEntropy and stopGradient', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is the mean softmax cross-entropy over all rows, for class indices and one-hot labels alike', () => {
    const labels = [0, 2, 1, 1, 0, 2];
    let expected = 0;
    LOGITS.forEach((row, i) => {
      expected -= Math.log(softmax(row)[labels[i]!]!) / LOGITS.length;
    });
    const logits = tf.tensor2d(LOGITS);
    const indices = tf.tensor1d(labels, 'int32');
    const oneHot = tf.oneHot(indices, 3);
    const fromIndices = meanCrossEntropy(logits, indices).dataSync()[0]!;
    const fromOneHot = meanCrossEntropy(logits, oneHot).dataSync()[0]!;
    expect(Math.abs(fromIndices - expected) / expected).toBeLessThan(1e-6);
    expect(fromOneHot).toBe(fromIndices);
    const short = tf.tensor1d([0, 1]);
    expect(() => meanCrossEntropy(logits, short)).toThrow(
      /Argument 'labels' passed to 'meanCrossEntropy' must be class indices \[6\]/,
    );
    tf.dispose([logits, indices, oneHot, short]);
  });

  it('stopGradient is the identity forward with a zero gradient', () => {
    const x = tf.tensor1d([1, -2, 3]);
    const y = stopGradient(x);
    expect(values(y)).toEqual([1, -2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x);
    // d/dt of sg(t)·t is sg(t) = t.
    expect(values(g)).toEqual([1, -2, 3]);
    tf.dispose([x, y, g]);
  });
});
