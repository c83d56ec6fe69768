import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdversarialWeightPerturbation, crossEntropyAscent, klAscent } from '../src';

describe('option and argument validation', () => {
  let w: tf.Variable;
  let b: tf.Variable;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    w = tf.variable(tf.ones([2, 2]), true, 'options_w');
    b = tf.variable(tf.zeros([2]), true, 'options_b');
  });

  afterAll(() => {
    w.dispose();
    b.dispose();
  });

  const make = (options: unknown) => () =>
    new AdversarialWeightPerturbation([w, b], options as { gamma: number });

  it('defaults: steps 1, stepSize = gamma', () => {
    const awp = new AdversarialWeightPerturbation([w, b], { gamma: 0.006 });
    expect([awp.gamma, awp.steps, awp.stepSize]).toEqual([0.006, 1, 0.006]);
    expect(new AdversarialWeightPerturbation([w], { gamma: 0.1, steps: 4, stepSize: 0.03 }).stepSize).toBe(
      0.03,
    );
  });

  it('gamma must be a finite number >= 0', () => {
    for (const gamma of [-0.1, Number.NaN, Number.POSITIVE_INFINITY, '0.1', undefined]) {
      expect(make({ gamma }), String(gamma)).toThrow(
        /Option 'gamma' passed to 'AdversarialWeightPerturbation' must be a finite number >= 0/,
      );
    }
    expect(make({ gamma: 0 })).not.toThrow();
  });

  it('steps must be an integer >= 1', () => {
    for (const steps of [0, -1, 1.5, Number.NaN, '2']) {
      expect(make({ gamma: 0.1, steps }), String(steps)).toThrow(/Option 'steps' .* must be an integer >= 1/);
    }
  });

  it('stepSize must be a finite number > 0', () => {
    for (const stepSize of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(make({ gamma: 0.1, steps: 3, stepSize }), String(stepSize)).toThrow(
        /Option 'stepSize' .* must be a finite number > 0/,
      );
    }
  });

  it('include, preserve and options must have the documented types', () => {
    expect(make({ gamma: 0.1, include: 'kernel' })).toThrow(/Option 'include' .* predicate/);
    expect(make({ gamma: 0.1, include: [1, 2] })).toThrow(/Option 'include'/);
    expect(make({ gamma: 0.1, preserve: [tf.scalar(1)] })).toThrow(
      /Option 'preserve' .* array of tf.Variable/,
    );
    expect(make(undefined)).toThrow(
      /Argument 'options' passed to 'AdversarialWeightPerturbation' must be an object/,
    );
  });

  it('target must be a layers model or distinct variables', () => {
    const build = (target: unknown) => () =>
      new AdversarialWeightPerturbation(target as tf.Variable[], { gamma: 0.1 });
    expect(build({})).toThrow(
      /Argument 'target' passed to 'AdversarialWeightPerturbation' must be a tf.LayersModel/,
    );
    expect(build(null)).toThrow(/Argument 'target' .* but got null/);
    expect(build([w, tf.ones([2])])).toThrow(/element 1 is not a tf.Variable/);
    expect(build([w, w])).toThrow(/lists variable 'options_w' more than once/);
    const fake = { trainableWeights: [{ name: 'k', read: () => tf.ones([2, 2]) }], nonTrainableWeights: [] };
    expect(() => new AdversarialWeightPerturbation(fake, { gamma: 0.1 }).selectedWeights()).toThrow(
      /entry 'k' of the target returned something other than a tf.Variable/,
    );
  });

  it('names that select nothing or do not exist are reported with the available names', () => {
    expect(() =>
      new AdversarialWeightPerturbation([w, b], { gamma: 0.1, include: ['nope'] }).selectedWeights(),
    ).toThrow(
      /names \[nope\], which is not a trainable weight .*trainable weights: \[options_w, options_b\]/,
    );
    expect(() => new AdversarialWeightPerturbation([b], { gamma: 0.1 }).selectedWeights()).toThrow(
      /found no weights to perturb: the default \(rank >= 2\) matched none of the target's 1 trainable weights/,
    );
    expect(() =>
      new AdversarialWeightPerturbation([w], { gamma: 0.1, include: () => false }).calc(() => tf.sum(w)),
    ).toThrow(/'AdversarialWeightPerturbation.calc' found no weights to perturb/);
  });

  it('calc, withPerturbation and the loss helpers check their function arguments', () => {
    const awp = new AdversarialWeightPerturbation([w], { gamma: 0.1 });
    expect(() => awp.calc(undefined as never)).toThrow(
      /Argument 'lossFn' passed to 'AdversarialWeightPerturbation.calc'/,
    );
    const p = awp.calc(() => tf.sum(tf.square(w)));
    expect(() => awp.withPerturbation(p, undefined as never)).toThrow(/Argument 'fn' passed/);
    expect(awp.isPerturbed).toBe(false);
    p.dispose();
    expect(() => crossEntropyAscent(undefined as never, tf.ones([1]))).toThrow(/Argument 'logitsFn'/);
    expect(() => crossEntropyAscent(() => tf.ones([1, 2]), undefined as never)).toThrow(/Argument 'labels'/);
    expect(() => klAscent(undefined as never, { numQualities: 2 })).toThrow(
      /Argument 'logitsFn' passed to 'klAscent'/,
    );
  });
});
