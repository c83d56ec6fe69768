import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * Ground-truth labels, one per sample: `1` = fake (the positive class), `0` = real.
 *
 * A plain array (numbers or booleans), any typed array, or a `tf.Tensor` of shape `[n]` or `[n, 1]`
 * (read with `dataSync()`/`data()`; the tensor is never disposed or modified).
 */
export type Labels = ArrayLike<number> | ArrayLike<boolean> | Tensor;

/**
 * Detector scores, one per sample: higher means "more likely fake" (typically the probability of fake).
 *
 * A plain number array, any typed array, or a `tf.Tensor` of shape `[n]` or `[n, 1]` (read with
 * `dataSync()`/`data()`; the tensor is never disposed or modified). Every score must be finite.
 */
export type Scores = ArrayLike<number> | Tensor;

/** Counts of the four outcomes of thresholding scores, with fake (label 1) as the positive class. */
export interface ConfusionMatrix {
  /** Fakes predicted fake. */
  tp: number;
  /** Reals predicted fake. */
  fp: number;
  /** Reals predicted real. */
  tn: number;
  /** Fakes predicted real. */
  fn: number;
}

/** Options of the threshold-based metrics ({@link accuracy}, {@link confusionMatrix} and their streaming forms). */
export interface ThresholdOptions {
  /** A sample is predicted fake when `score >= threshold`. Default 0.5. */
  threshold?: number;
}

/**
 * Receiver operating characteristic, one point per distinct score plus the origin, in the layout of
 * scikit-learn's `roc_curve(..., drop_intermediate=False)`.
 */
export interface RocCurve {
  /** False-positive rate FP/N at each threshold; non-decreasing, starts at 0 and ends at 1. */
  fpr: Float64Array;
  /** True-positive rate TP/P at each threshold; non-decreasing, starts at 0 and ends at 1. */
  tpr: Float64Array;
  /**
   * Strictly decreasing thresholds: `+Infinity` first (nothing predicted fake), then every distinct score
   * from the highest to the lowest. Point k counts the samples with `score >= thresholds[k]`.
   */
  thresholds: Float64Array;
}

/** Result of {@link eer}: where the false-positive rate equals the false-negative rate. */
export interface EerResult {
  /** Equal error rate in [0, 1] (FPR = FNR = 1 − TPR), interpolated on the ROC polyline. */
  eer: number;
  /** Score threshold at the crossing, interpolated like {@link EerResult.eer} (see {@link eer}). */
  threshold: number;
}

/** Identifier of the video a frame belongs to. Compared with `SameValueZero`, so `7` and `'7'` differ. */
export type VideoId = string | number;

/** The video id of each frame: a plain array of strings/numbers, or a numeric tensor of shape `[n]`/`[n, 1]`. */
export type VideoIds = ArrayLike<VideoId> | Tensor;

/** How the frame scores of one video are reduced to the video score. */
export type VideoReduction = 'mean' | 'max';

/** Options of {@link aggregateVideos} and {@link VideoAggregator}. */
export interface VideoAggregationOptions {
  /** `'mean'` (default) averages the frame scores of a video; `'max'` keeps the highest. */
  reduce?: VideoReduction;
}

/** Per-video labels and scores, ready for any metric of this package; videos in first-seen order. */
export interface VideoScores {
  /** Video ids, in the order each video first appeared. */
  ids: VideoId[];
  /** The label shared by all frames of each video. */
  labels: number[];
  /** The reduced (mean or max) frame score of each video. */
  scores: number[];
  /** Number of frames of each video. */
  frames: number[];
}
