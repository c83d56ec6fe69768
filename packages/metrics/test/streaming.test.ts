import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  BinaryAccuracy,
  BinaryAuroc,
  BinaryAveragePrecision,
  BinaryConfusionMatrix,
  BinaryEer,
  BinaryRocCurve,
  confusionMatrix,
  eer,
  rocAuc,
  rocCurve,
  type StreamingMetric,
} from '../src';
import { pairwiseAuc, tiedSample } from './reference';

// Scores representable in float32, so that tensor chunks carry exactly the same values as the arrays.
const sample = tiedSample(1000, 21, 2);
const labels = sample.labels;
const scores = sample.scores.map(Math.fround);

/** Feeds the sample in five chunks of different kinds; returns the tensors it created for later checks. */
function feedMixed(metric: StreamingMetric<unknown>): tf.Tensor[] {
  const cuts = [0, 150, 400, 401, 700, 1000];
  const chunk = (k: number) => ({
    l: labels.slice(cuts[k], cuts[k + 1]),
    s: scores.slice(cuts[k], cuts[k + 1]),
  });
  const tensors: tf.Tensor[] = [];
  const c0 = chunk(0);
  metric.update(c0.l, c0.s);
  const c1 = chunk(1);
  const t1 = [tf.tensor1d(c1.l, 'int32'), tf.tensor1d(c1.s)];
  tensors.push(...t1);
  metric.update(t1[0]!, t1[1]!);
  const c2 = chunk(2);
  metric.update(Uint8Array.from(c2.l), Float32Array.from(c2.s));
  const c3 = chunk(3);
  const t3 = [tf.tensor2d(c3.l, [c3.l.length, 1], 'bool'), tf.tensor2d(c3.s, [c3.s.length, 1])];
  tensors.push(...t3);
  metric.update(t3[0]!, t3[1]!);
  metric.update([], []);
  const c4 = chunk(4);
  const t4 = tf.tensor1d(c4.s);
  tensors.push(t4);
  metric.update(
    c4.l.map((v) => v === 1),
    t4,
  );
  return tensors;
}

const streamingCases = [
  ['BinaryAuroc', () => new BinaryAuroc(), () => rocAuc(labels, scores)],
  ['BinaryAveragePrecision', () => new BinaryAveragePrecision(), () => averagePrecision(labels, scores)],
  ['BinaryEer', () => new BinaryEer(), () => eer(labels, scores)],
  ['BinaryRocCurve', () => new BinaryRocCurve(), () => rocCurve(labels, scores)],
  ['BinaryAccuracy', () => new BinaryAccuracy({ threshold: 0.45 }), () => accuracy(labels, scores, 0.45)],
  ['BinaryConfusionMatrix', () => new BinaryConfusionMatrix(), () => confusionMatrix(labels, scores)],
] as const;

describe('streaming metrics', () => {
  for (const [name, create, functional] of streamingCases) {
    it(`${name}: chunks of arrays and tensors equal the functional result on the concatenation`, () => {
      const metric: StreamingMetric<unknown> = create();
      const before = tf.memory().numTensors;
      const tensors = feedMixed(metric);
      const afterCreate = tf.memory().numTensors;
      expect(afterCreate).toBe(before + tensors.length);
      expect(metric.count).toBe(1000);
      expect(metric.compute()).toEqual(functional());
      // Computing twice gives the same answer: compute does not consume the state.
      expect(metric.compute()).toEqual(functional());
      // update/compute created no tensor and disposed none of the caller's.
      expect(tf.memory().numTensors).toBe(afterCreate);
      for (const t of tensors) expect(t.isDisposed).toBe(false);
      tf.dispose(tensors);
    });

    it(`${name}: reset clears, and compute on nothing is a clear error`, () => {
      const metric: StreamingMetric<unknown> = create();
      expect(() => metric.compute()).toThrow(
        `'${name}.compute' was called with no samples accumulated; call update() with at least one sample first.`,
      );
      metric.update([1, 0, 1], [0.9, 0.1, 0.4]);
      metric.reset();
      expect(metric.count).toBe(0);
      expect(() => metric.compute()).toThrow(/no samples accumulated/);
      metric.update([0, 1, 1, 0], [0.2, 0.3, 0.8, 0.35]);
      // Only the samples after reset count: fakes 0.3, 0.8 vs reals 0.2, 0.35 → 3 of 4 pairs won.
      if (name === 'BinaryAuroc') expect(metric.compute()).toBe(0.75);
      expect(metric.count).toBe(4);
    });
  }

  it('leaves tensor contents untouched', () => {
    const t = tf.tensor1d([0.3, 0.1, 0.2]);
    const auroc = new BinaryAuroc();
    auroc.update([1, 0, 1], t);
    expect(Array.from(t.dataSync())).toEqual([0.3, 0.1, 0.2].map(Math.fround));
    expect(auroc.compute()).toBe(1);
    t.dispose();
  });

  it('updateAsync reads tensors with data() and agrees with update', async () => {
    const sync = new BinaryAuroc();
    const async = new BinaryAuroc();
    const l = tf.tensor1d(labels, 'int32');
    const s = tf.tensor1d(scores);
    const before = tf.memory().numTensors;
    sync.update(l, s);
    await async.updateAsync(l, s);
    expect(async.compute()).toBe(sync.compute());
    expect(async.compute()).toBeCloseTo(pairwiseAuc(labels, scores), 12);
    expect(tf.memory().numTensors).toBe(before);
    expect(l.isDisposed || s.isDisposed).toBe(false);
    tf.dispose([l, s]);
  });

  it('a rejected batch leaves no trace', () => {
    const auroc = new BinaryAuroc();
    auroc.update([1, 0], [0.8, 0.2]);
    expect(() => auroc.update([1, 0, 7], [0.1, 0.9, 0.5])).toThrow(/element 2 is 7/);
    expect(auroc.count).toBe(2);
    expect(auroc.compute()).toBe(1);
  });

  it('ranking metrics report the missing class of the accumulated labels', () => {
    const auroc = new BinaryAuroc();
    auroc.update([1, 1], [0.4, 0.6]);
    expect(() => auroc.compute()).toThrow(
      "The labels accumulated by 'BinaryAuroc' must contain both classes, but has no real (label 0) samples: " +
        'ROC AUC is undefined for a single class.',
    );
    const ap = new BinaryAveragePrecision();
    ap.update([0], [0.4]);
    expect(() => ap.compute()).toThrow(
      /accumulated by 'BinaryAveragePrecision' .* no fake \(label 1\) samples/,
    );
  });

  it('accuracy and the confusion matrix accept single-class streams', () => {
    const acc = new BinaryAccuracy();
    acc.update([1, 1], [0.9, 0.1]);
    const one = tf.tensor1d([1], 'int32');
    acc.update(one, [0.7]);
    one.dispose();
    expect(acc.compute()).toBe(2 / 3);
    expect(acc.threshold).toBe(0.5);
    const cm = new BinaryConfusionMatrix({ threshold: 0.8 });
    cm.update([1, 1, 1], [0.9, 0.1, 0.8]);
    const result = cm.compute();
    expect(result).toEqual({ tp: 2, fp: 0, tn: 0, fn: 1 });
    // The returned object is a copy.
    result.tp = 100;
    expect(cm.compute().tp).toBe(2);
  });

  it('grows its buffer across many small updates without losing samples', () => {
    const big = tiedSample(5000, 22, 2);
    const ap = new BinaryAveragePrecision();
    for (let i = 0; i < big.labels.length; i += 7) {
      ap.update(big.labels.slice(i, i + 7), big.scores.slice(i, i + 7));
    }
    expect(ap.count).toBe(5000);
    expect(ap.compute()).toBe(averagePrecision(big.labels, big.scores));
  });
});
