import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { freeTapeOnThrow } from '../src';

describe('freeTapeOnThrow', () => {
  it('frees what a throwing loss saved for backprop, and nothing of an enclosing tape', () => {
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const before = tf.memory().numTensors;
    const failing = () => {
      // exp saves its output for the backward pass; the throw means backprop never frees it.
      tf.sum(tf.exp(w));
      throw new Error('boom');
    };
    const leaked = () => tf.variableGrads(failing as () => tf.Scalar, [w]);
    expect(leaked).toThrow('boom');
    const leak = tf.memory().numTensors - before;
    expect(leak).toBeGreaterThan(0);

    const afterLeak = tf.memory().numTensors;
    expect(() => tf.variableGrads(freeTapeOnThrow(failing as () => tf.Scalar), [w])).toThrow('boom');
    // The guarded call frees the saved tensors; what tidy kept of the outputs is gone too.
    expect(tf.memory().numTensors - afterLeak).toBeLessThan(leak);
    w.dispose();
  });

  it('returns the loss unchanged when nothing throws', () => {
    const w = tf.variable(tf.tensor1d([0.5, -1]));
    const { value, grads } = tf.variableGrads(
      freeTapeOnThrow(() => tf.sum(tf.square(w))),
      [w],
    );
    expect(value.dataSync()[0]).toBeCloseTo(1.25, 6);
    expect(Array.from(grads[w.name]!.dataSync())).toEqual([1, -2]);
    tf.dispose([value, grads[w.name]!, w]);
  });
});
