import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { meanCrossEntropy, stopGradient } from '../src';

describe('meanCrossEntropy and stopGradient', () => {
  it('is the mean softmax cross-entropy over all rows, for class indices and one-hot labels alike', () => {
    // Two rows, two classes, by hand: row 0 [ln 3, 0] → p = [3/4, 1/4], label 0 → −ln(3/4);
    // row 1 [0, 0] → p = [1/2, 1/2], label 1 → ln 2.
    const expected = (-Math.log(0.75) + Math.log(2)) / 2;
    const logits = tf.tensor2d([
      [Math.log(3), 0],
      [0, 0],
    ]);
    const indices = tf.tensor1d([0, 1], 'int32');
    const oneHot = tf.oneHot(indices, 2);
    const before = tf.memory().numTensors;
    const fromIndices = meanCrossEntropy(logits, indices);
    const fromOneHot = meanCrossEntropy(logits, oneHot);
    expect(tf.memory().numTensors - before).toBe(2);
    expect(Math.abs(fromIndices.dataSync()[0]! - expected) / expected).toBeLessThan(1e-6);
    expect(fromOneHot.dataSync()[0]).toBe(fromIndices.dataSync()[0]);
    const short = tf.tensor1d([0, 1, 1]);
    expect(() => meanCrossEntropy(logits, short)).toThrow(
      /Argument 'labels' passed to 'meanCrossEntropy' must be class indices \[2\]/,
    );
    expect(() => meanCrossEntropy(tf.zeros([2]) as never, indices)).toThrow(/must have rank 2/);
    tf.dispose([logits, indices, oneHot, short, fromIndices, fromOneHot]);
  });

  it('stopGradient is the identity forward with a zero gradient', () => {
    const x = tf.tensor1d([1, -2, 3]);
    const y = stopGradient(x);
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3]);
    // d/dt of sg(t)·t is sg(t) = t.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x);
    expect(Array.from(g.dataSync())).toEqual([1, -2, 3]);
    expect(() => stopGradient([1] as never)).toThrow(
      "Argument 'x' passed to 'stopGradient' must be a tf.Tensor.",
    );
    tf.dispose([x, y, g]);
  });
});
