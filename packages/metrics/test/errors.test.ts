import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  aggregateVideos,
  averagePrecision,
  BinaryAccuracy,
  BinaryAuroc,
  confusionMatrix,
  eer,
  rocAuc,
  rocCurve,
} from '../src';

const everyFunction = [
  ['rocAuc', rocAuc],
  ['rocCurve', rocCurve],
  ['eer', eer],
  ['averagePrecision', averagePrecision],
  ['accuracy', accuracy],
  ['confusionMatrix', confusionMatrix],
] as const;

describe('bad input gets a clear error naming the argument and the function', () => {
  for (const [name, fn] of everyFunction) {
    it(`${name}: length mismatch, empty input, bad labels, NaN and infinite scores`, () => {
      expect(() => fn([0, 1, 0], [0.1, 0.2])).toThrow(
        `Arguments 'labels' and 'scores' passed to '${name}' must have the same length, but got 3 and 2.`,
      );
      expect(() => fn([], [])).toThrow(
        `Arguments 'labels' and 'scores' passed to '${name}' must not be empty.`,
      );
      expect(() => fn([0, 2, 1], [0.1, 0.2, 0.3])).toThrow(
        `Argument 'labels' passed to '${name}' must contain only 0 (real) and 1 (fake), but element 1 is 2.`,
      );
      expect(() => fn([0, 1, 0.5], [0.1, 0.2, 0.3])).toThrow(/but element 2 is 0\.5\./);
      expect(() => fn([0, 1, -1], [0.1, 0.2, 0.3])).toThrow(/but element 2 is -1\./);
      expect(() => fn([0, 1, 1], [0.1, Number.NaN, 0.3])).toThrow(
        `Argument 'scores' passed to '${name}' must contain only finite numbers, but element 1 is NaN.`,
      );
      expect(() => fn([0, 1], [0.1, Number.POSITIVE_INFINITY])).toThrow(/but element 1 is Infinity\./);
      expect(() => fn([0, 1], [0.1, '0.2' as unknown as number])).toThrow(
        /but element 1 is a string \('0\.2'\)/,
      );
      expect(() => fn(null as unknown as number[], [0.1])).toThrow(
        `Argument 'labels' passed to '${name}' must be an array, a typed array or a tf.Tensor, but got null.`,
      );
      expect(() => fn(['1', 0] as unknown as number[], [0.1, 0.2])).toThrow(/but element 0 is '1'\./);
    });
  }

  for (const [name, fn] of everyFunction.slice(0, 4)) {
    it(`${name}: single-class input is a documented error naming the missing class`, () => {
      expect(() => fn([1, 1, 1], [0.1, 0.5, 0.9])).toThrow(
        new RegExp(
          `^Argument 'labels' passed to '${name}' must contain both classes, but has no real \\(label 0\\) samples: `,
        ),
      );
      expect(() => fn([0, 0], [0.1, 0.5])).toThrow(
        new RegExp(
          `^Argument 'labels' passed to '${name}' must contain both classes, but has no fake \\(label 1\\) samples: `,
        ),
      );
    });
  }

  it('names the metric that is undefined for a single class', () => {
    expect(() => rocAuc([0, 0], [0.1, 0.5])).toThrow(
      "Argument 'labels' passed to 'rocAuc' must contain both classes, but has no fake (label 1) samples: " +
        'ROC AUC is undefined for a single class.',
    );
    expect(() => averagePrecision([1], [0.1])).toThrow(/average precision is undefined for a single class/);
    expect(() => eer([1], [0.1])).toThrow(/the EER is undefined for a single class/);
  });

  it('rejects a NaN or non-numeric threshold', () => {
    expect(() => accuracy([0, 1], [0.1, 0.9], Number.NaN)).toThrow(
      "Option 'threshold' passed to 'accuracy' must be a number, but got NaN.",
    );
    expect(() => confusionMatrix([0, 1], [0.1, 0.9], '0.5' as unknown as number)).toThrow(
      "Option 'threshold' passed to 'confusionMatrix' must be a number, but got '0.5'.",
    );
    expect(() => new BinaryAccuracy({ threshold: Number.NaN })).toThrow(
      "Option 'threshold' passed to 'BinaryAccuracy' must be a number, but got NaN.",
    );
  });

  it('rejects tensors of the wrong shape or dtype', () => {
    const matrix = tf.zeros([2, 2]);
    const scalar = tf.scalar(1);
    const strings = tf.tensor1d(['a', 'b'], 'string');
    expect(() => rocAuc(matrix, [0.1, 0.2, 0.3, 0.4])).toThrow(
      "Argument 'labels' passed to 'rocAuc' must be a tensor of shape [n] or [n, 1], but got shape [2, 2].",
    );
    expect(() => rocAuc([0, 1], tf.zeros([2, 1, 1]))).toThrow(
      /'scores' passed to 'rocAuc' .* shape \[2, 1, 1\]/,
    );
    expect(() => accuracy([1], scalar)).toThrow(/but got shape \[\]\./);
    expect(() => rocAuc([0, 1], strings)).toThrow(
      "Argument 'scores' passed to 'rocAuc' must be a numeric or bool tensor, but got dtype 'string'.",
    );
    tf.dispose([matrix, scalar, strings]);
  });

  it('rejects NaN hidden in a tensor and labels that are not 0/1 in a tensor', () => {
    const scores = tf.tensor1d([0.1, Number.NaN]);
    const labels = tf.tensor1d([0, 3], 'int32');
    expect(() => rocAuc([0, 1], scores)).toThrow(/'scores' passed to 'rocAuc' .* element 1 is NaN/);
    expect(() => rocAuc(labels, [0.1, 0.2])).toThrow(/'labels' passed to 'rocAuc' .* element 1 is 3/);
    tf.dispose([scores, labels]);
  });

  it('streaming objects name their method', () => {
    const auroc = new BinaryAuroc();
    expect(() => auroc.update([0, 1], [0.5])).toThrow(
      "Arguments 'labels' and 'scores' passed to 'BinaryAuroc.update' must have the same length, but got 2 and 1.",
    );
    expect(() => auroc.update([0, 1], [0.5, Number.NaN])).toThrow(/'scores' passed to 'BinaryAuroc.update'/);
    expect(auroc.count).toBe(0);
  });

  it('video aggregation names the mismatching argument list', () => {
    expect(() => aggregateVideos(['a'], [1, 1], [0.5, 0.5])).toThrow(
      "Arguments 'videoIds', 'labels' and 'scores' passed to 'aggregateVideos' must have the same length, " +
        'but got 1, 2 and 2.',
    );
  });
});
