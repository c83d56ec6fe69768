import { assertSameLength, readValues, readValuesAsync, toLabelArray, toScoreArray } from './input';
import type {
  Labels,
  Scores,
  VideoAggregationOptions,
  VideoId,
  VideoIds,
  VideoReduction,
  VideoScores,
} from './types';
import { assertNotEmpty, show } from './validate';

function toIdArray(values: ArrayLike<unknown>, fnName: string): VideoId[] {
  const ids = new Array<VideoId>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      throw new Error(
        `Argument 'videoIds' passed to '${fnName}' must contain only strings and finite numbers, ` +
          `but element ${i} is ${show(v)}.`,
      );
    }
    ids[i] = v;
  }
  return ids;
}

function reductionOption(options: VideoAggregationOptions, owner: string): VideoReduction {
  const { reduce = 'mean' } = options;
  if (reduce !== 'mean' && reduce !== 'max') {
    throw new Error(`Option 'reduce' passed to '${owner}' must be 'mean' or 'max', but got ${show(reduce)}.`);
  }
  return reduce;
}

/**
 * Per-video running state behind both public forms. Kept out of the exported class so that the entry point
 * used by {@link aggregateVideos} (which names itself in errors and rejects empty input) stays private.
 */
class VideoTable {
  private readonly index = new Map<VideoId, number>();
  private readonly ids: VideoId[] = [];
  private readonly labels: number[] = [];
  // Running sums for 'mean', running maxima for 'max'.
  private readonly accumulated: number[] = [];
  private readonly frames: number[] = [];

  constructor(private readonly reduce: VideoReduction) {}

  get size(): number {
    return this.ids.length;
  }

  ingest(
    idValues: ArrayLike<unknown>,
    labelValues: ArrayLike<unknown>,
    scoreValues: ArrayLike<unknown>,
    fnName: string,
    allowEmpty: boolean,
  ): void {
    assertSameLength(
      [idValues.length, labelValues.length, scoreValues.length],
      ['videoIds', 'labels', 'scores'],
      fnName,
      allowEmpty,
    );
    const ids = toIdArray(idValues, fnName);
    const labels = toLabelArray(labelValues, 'labels', fnName);
    const scores = toScoreArray(scoreValues, 'scores', fnName);

    // Check the label consistency of the whole batch first so that a rejected batch leaves no trace.
    const newLabels = new Map<VideoId, number>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const known = this.index.get(id);
      const expected = known === undefined ? newLabels.get(id) : this.labels[known];
      if (expected === undefined) {
        newLabels.set(id, labels[i]!);
      } else if (expected !== labels[i]) {
        throw new Error(
          `Argument 'labels' passed to '${fnName}' must give every frame of a video the same label, but video ` +
            `${show(id)} has frames labelled ${expected} and ${labels[i]} (element ${i}).`,
        );
      }
    }

    const max = this.reduce === 'max';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const score = scores[i]!;
      let v = this.index.get(id);
      if (v === undefined) {
        v = this.ids.length;
        this.index.set(id, v);
        this.ids.push(id);
        this.labels.push(labels[i]!);
        this.accumulated.push(max ? Number.NEGATIVE_INFINITY : 0);
        this.frames.push(0);
      }
      this.accumulated[v] = max ? Math.max(this.accumulated[v]!, score) : this.accumulated[v]! + score;
      this.frames[v]! += 1;
    }
  }

  result(owner: string): VideoScores {
    assertNotEmpty(this.ids.length, owner);
    const mean = this.reduce === 'mean';
    return {
      ids: [...this.ids],
      labels: [...this.labels],
      scores: this.accumulated.map((value, v) => (mean ? value / this.frames[v]! : value)),
      frames: [...this.frames],
    };
  }
}

/**
 * Streaming video-level aggregation: feed frame-level `(videoIds, labels, scores)` batches in any order, with
 * a video's frames spread over several batches if need be; `compute` returns one label and score per video.
 * Memory grows with the number of videos, not frames.
 *
 * @example
 * ```ts
 * const videos = new VideoAggregator({ reduce: 'mean' });
 * videos.update(['a', 'a', 'b'], [1, 1, 0], [0.9, 0.7, 0.2]);
 * const { labels, scores } = videos.compute(); // labels [1, 0], scores [0.8, 0.2]
 * rocAuc(labels, scores);
 * ```
 */
export class VideoAggregator {
  /** The reduction in use. */
  readonly reduce: VideoReduction;
  private table: VideoTable;

  constructor(options: VideoAggregationOptions = {}) {
    this.reduce = reductionOption(options, 'VideoAggregator');
    this.table = new VideoTable(this.reduce);
  }

  /**
   * Adds frames: all three inputs have one entry per frame. The batch is validated in full before anything is
   * stored; an empty batch changes nothing. Tensors are read with `dataSync()` and not disposed.
   * @throws on length mismatches, labels other than 0/1, non-finite scores, invalid ids, or a video whose
   *   frames (in this batch or earlier ones) carry different labels.
   */
  update(videoIds: VideoIds, labels: Labels, scores: Scores): void {
    const fnName = 'VideoAggregator.update';
    this.table.ingest(
      readValues(videoIds, 'videoIds', fnName),
      readValues(labels, 'labels', fnName),
      readValues(scores, 'scores', fnName),
      fnName,
      true,
    );
  }

  /** {@link VideoAggregator.update} reading tensors with `await tensor.data()`. */
  async updateAsync(videoIds: VideoIds, labels: Labels, scores: Scores): Promise<void> {
    const fnName = 'VideoAggregator.updateAsync';
    const [idValues, labelValues, scoreValues] = await Promise.all([
      readValuesAsync(videoIds, 'videoIds', fnName),
      readValuesAsync(labels, 'labels', fnName),
      readValuesAsync(scores, 'scores', fnName),
    ]);
    this.table.ingest(idValues, labelValues, scoreValues, fnName, true);
  }

  /**
   * One entry per video seen so far, in first-seen order (fresh arrays on every call).
   * @throws when no frame has been added.
   */
  compute(): VideoScores {
    return this.table.result('VideoAggregator');
  }

  /** Forgets every video. */
  reset(): void {
    this.table = new VideoTable(this.reduce);
  }

  /** Number of distinct videos seen. */
  get videoCount(): number {
    return this.table.size;
  }
}

/**
 * Groups frame-level scores by video: one label and one score (the mean of the frame scores by default, or
 * their maximum) per video, in first-seen order. The video-level AUC is then `rocAuc(v.labels, v.scores)`.
 *
 * @param videoIds - video id of each frame (strings or numbers, or a numeric tensor).
 * @param labels - label of each frame; all frames of a video must agree.
 * @param scores - frame scores.
 * @throws on length mismatches, empty input, labels other than 0/1, non-finite scores, invalid ids, or a
 *   video whose frames carry different labels (the message names the video).
 *
 * @example
 * ```ts
 * aggregateVideos(['a', 'b', 'a'], [1, 0, 1], [0.9, 0.2, 0.5], { reduce: 'max' });
 * // { ids: ['a', 'b'], labels: [1, 0], scores: [0.9, 0.2], frames: [2, 1] }
 * ```
 */
export function aggregateVideos(
  videoIds: VideoIds,
  labels: Labels,
  scores: Scores,
  options: VideoAggregationOptions = {},
): VideoScores {
  const fnName = 'aggregateVideos';
  const table = new VideoTable(reductionOption(options, fnName));
  table.ingest(
    readValues(videoIds, 'videoIds', fnName),
    readValues(labels, 'labels', fnName),
    readValues(scores, 'scores', fnName),
    fnName,
    false,
  );
  return table.result(fnName);
}
