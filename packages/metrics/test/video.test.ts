import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { aggregateVideos, rocAuc, VideoAggregator } from '../src';

// Three videos with interleaved frames: 'a' (fake) 0.9, 0.5, 0.4; 'b' (real) 0.2, 0.6; 7 (fake) 0.3.
const ids = ['a', 'b', 'a', 7, 'b', 'a'];
const labels = [1, 0, 1, 1, 0, 1];
const scores = [0.9, 0.2, 0.5, 0.3, 0.6, 0.4];

describe('aggregateVideos', () => {
  it('mean by default, videos in first-seen order', () => {
    const v = aggregateVideos(ids, labels, scores);
    expect(v.ids).toEqual(['a', 'b', 7]);
    expect(v.labels).toEqual([1, 0, 1]);
    expect(v.frames).toEqual([3, 2, 1]);
    // a: (0.9 + 0.5 + 0.4) / 3 = 0.6; b: (0.2 + 0.6) / 2 = 0.4; 7: 0.3.
    expect(v.scores[0]).toBeCloseTo(0.6, 15);
    expect(v.scores[1]).toBeCloseTo(0.4, 15);
    expect(v.scores[2]).toBe(0.3);
    // Video-level AUC: fakes 0.6, 0.3 vs real 0.4 → 1 of 2 pairs.
    expect(rocAuc(v.labels, v.scores)).toBe(0.5);
  });

  it('max when asked', () => {
    const v = aggregateVideos(ids, labels, scores, { reduce: 'max' });
    expect(v.scores).toEqual([0.9, 0.6, 0.3]);
    expect(rocAuc(v.labels, v.scores)).toBe(0.5);
  });

  it('numeric and string ids are different videos', () => {
    const v = aggregateVideos([1, '1'], [1, 0], [0.5, 0.5]);
    expect(v.ids).toEqual([1, '1']);
  });

  it('accepts tensors for ids, labels and scores without disposing them', () => {
    const idT = tf.tensor1d([3, 3, 5], 'int32');
    const labelT = tf.tensor1d([0, 0, 1], 'int32');
    const scoreT = tf.tensor1d([0.25, 0.75, 0.5]);
    const before = tf.memory().numTensors;
    const v = aggregateVideos(idT, labelT, scoreT);
    expect(v).toEqual({ ids: [3, 5], labels: [0, 1], scores: [0.5, 0.5], frames: [2, 1] });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([idT, labelT, scoreT]);
  });

  it('inconsistent labels within a video are an error naming the video', () => {
    expect(() => aggregateVideos(['a', 'b', 'a'], [1, 0, 0], [0.1, 0.2, 0.3])).toThrow(
      "Argument 'labels' passed to 'aggregateVideos' must give every frame of a video the same label, " +
        "but video 'a' has frames labelled 1 and 0 (element 2).",
    );
  });

  it('rejects bad ids, empty input and an unknown reduction', () => {
    expect(() => aggregateVideos(['a', Number.NaN], [1, 1], [0.1, 0.2])).toThrow(
      "Argument 'videoIds' passed to 'aggregateVideos' must contain only strings and finite numbers, " +
        'but element 1 is NaN.',
    );
    expect(() => aggregateVideos([], [], [])).toThrow(
      "Arguments 'videoIds', 'labels' and 'scores' passed to 'aggregateVideos' must not be empty.",
    );
    expect(() => aggregateVideos(['a'], [1], [0.1], { reduce: 'median' as 'mean' })).toThrow(
      "Option 'reduce' passed to 'aggregateVideos' must be 'mean' or 'max', but got 'median'.",
    );
  });
});

describe('VideoAggregator', () => {
  it('streaming over batches equals the one-shot aggregation, for mean and max', () => {
    for (const reduce of ['mean', 'max'] as const) {
      const agg = new VideoAggregator({ reduce });
      agg.update(ids.slice(0, 2), labels.slice(0, 2), scores.slice(0, 2));
      agg.update([], [], []);
      const labelT = tf.tensor1d(labels.slice(2, 5), 'int32');
      agg.update(ids.slice(2, 5), labelT, Float64Array.from(scores.slice(2, 5)));
      labelT.dispose();
      agg.update(ids.slice(5), labels.slice(5), scores.slice(5));
      expect(agg.videoCount).toBe(3);
      expect(agg.compute()).toEqual(aggregateVideos(ids, labels, scores, { reduce }));
    }
  });

  it('updateAsync agrees with update', async () => {
    const agg = new VideoAggregator({ reduce: 'max' });
    const idT = tf.tensor1d([1, 2, 1], 'int32');
    const scoreT = tf.tensor1d([0.25, 0.5, 0.75]);
    await agg.updateAsync(idT, [1, 0, 1], scoreT);
    expect(agg.compute()).toEqual({ ids: [1, 2], labels: [1, 0], scores: [0.75, 0.5], frames: [2, 1] });
    expect(idT.isDisposed || scoreT.isDisposed).toBe(false);
    tf.dispose([idT, scoreT]);
  });

  it('catches a label conflict with an earlier batch and then keeps its state unchanged', () => {
    const agg = new VideoAggregator();
    agg.update(['a', 'b'], [1, 0], [0.8, 0.2]);
    expect(() => agg.update(['c', 'b'], [1, 1], [0.5, 0.5])).toThrow(
      "Argument 'labels' passed to 'VideoAggregator.update' must give every frame of a video the same label, " +
        "but video 'b' has frames labelled 0 and 1 (element 1).",
    );
    expect(agg.compute()).toEqual({ ids: ['a', 'b'], labels: [1, 0], scores: [0.8, 0.2], frames: [1, 1] });
  });

  it('reset clears, and compute on nothing is a clear error', () => {
    const agg = new VideoAggregator();
    expect(() => agg.compute()).toThrow(
      "'VideoAggregator.compute' was called with no samples accumulated; call update() with at least one sample first.",
    );
    agg.update(['a'], [1], [0.5]);
    agg.reset();
    expect(agg.videoCount).toBe(0);
    expect(() => agg.compute()).toThrow(/no samples accumulated/);
    agg.update(['a'], [0], [0.1]);
    expect(agg.compute().labels).toEqual([0]);
  });
});
