import type { Quality } from '@qad/core';
import { accuracy, aggregateVideos, averagePrecision, balancedAccuracy, eer, rocAuc } from '@qad/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { EvalSource } from './sources';
import type { TrainableBackbone } from './trainable';

/** Frame-level predictions of one quality. */
export interface QualityPredictions {
  /** Probability of fake (softmax of class 1) per frame. */
  scores: Float32Array;
  labels: number[];
  videos: string[];
}

/** Metrics of one quality (fractions, not percentages). `undefined` where a metric is undefined (one class). */
export interface QualityMetrics {
  frames: number;
  videos: number;
  /** Frame-level ROC AUC. */
  auc: number | undefined;
  /** Frame-level accuracy at {@link QualityMetrics.threshold}. */
  accuracy: number;
  /** Frame-level balanced accuracy (mean of the recalls on fakes and reals) at the same threshold. */
  balancedAccuracy: number;
  /** Decision threshold of the accuracies: fake iff P(fake) ≥ it (0.5, or one chosen on validation). */
  threshold: number;
  /** Frame-level equal error rate. */
  eer: number | undefined;
  /** Frame-level average precision. */
  ap: number | undefined;
  /** Video-level ROC AUC (mean of frame scores per video). */
  videoAuc: number | undefined;
  /** Video-level accuracy at the same threshold. */
  videoAccuracy: number;
}

/** Per-quality metrics and their mean over qualities (the paper's "Avg"). */
export interface Evaluation {
  perQuality: Record<string, QualityMetrics>;
  average: Omit<QualityMetrics, 'frames' | 'videos' | 'threshold'>;
  /** Every quality's frames pooled (what the authors select checkpoints by). */
  pooled: { accuracy: number; auc: number | undefined };
}

/** Runs the model in inference mode over every quality of `source`. Leaves no tensors behind. */
export async function predict(
  backbone: TrainableBackbone,
  source: EvalSource,
): Promise<Record<string, QualityPredictions>> {
  const out: Record<string, QualityPredictions> = {};
  for (const quality of source.qualities) {
    const scores: number[] = [];
    const labels: number[] = [];
    const videos: string[] = [];
    for await (const batch of source.batches(quality as Quality)) {
      try {
        const p = tf.tidy(() =>
          tf.slice(tf.softmax(backbone.forward(batch.images, { training: false }).logits), [0, 1], [-1, 1]),
        );
        const values = await p.data();
        p.dispose();
        scores.push(...values);
        labels.push(...batch.labels);
        videos.push(...batch.videos);
      } finally {
        batch.dispose();
      }
    }
    out[quality] = { scores: Float32Array.from(scores), labels, videos };
  }
  return out;
}

function defined(f: () => number): number | undefined {
  try {
    const v = f();
    return Number.isFinite(v) ? v : undefined;
  } catch {
    // AUC, EER and AP are undefined when only one class is present.
    return undefined;
  }
}

/** Metrics of one quality's predictions, the accuracies at `threshold` (default 0.5). */
export function qualityMetrics(p: QualityPredictions, threshold = 0.5): QualityMetrics {
  const video = aggregateVideos(p.videos, p.labels, p.scores);
  return {
    frames: p.labels.length,
    videos: video.ids.length,
    auc: defined(() => rocAuc(p.labels, p.scores)),
    accuracy: accuracy(p.labels, p.scores, threshold),
    balancedAccuracy: balancedAccuracy(p.labels, p.scores, threshold),
    threshold,
    eer: defined(() => eer(p.labels, p.scores).eer),
    ap: defined(() => averagePrecision(p.labels, p.scores)),
    videoAuc: defined(() => rocAuc(video.labels, video.scores)),
    videoAccuracy: accuracy(video.labels, video.scores, threshold),
  };
}

function mean(values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === values.length && present.length > 0
    ? present.reduce((a, b) => a + b, 0) / present.length
    : undefined;
}

/** Options of {@link evaluatePredictions}. */
export interface EvaluateOptions {
  /**
   * Decision threshold of the accuracies, one for all qualities or one per quality (e.g. chosen on
   * validation with `balancedThreshold` of `@qad/metrics`). Default 0.5.
   */
  threshold?: number | Readonly<Record<string, number>>;
}

/** Per-quality metrics, their average, and the pooled accuracy/AUC over all qualities (accuracy at 0.5). */
export function evaluatePredictions(
  predictions: Record<string, QualityPredictions>,
  options: EvaluateOptions = {},
): Evaluation {
  const qualities = Object.keys(predictions);
  if (qualities.length === 0) throw new Error('evaluatePredictions: no qualities to evaluate.');
  const thresholdOf = (q: string): number => {
    const t = options.threshold;
    const v = typeof t === 'number' || t === undefined ? (t ?? 0.5) : t[q];
    if (v === undefined || Number.isNaN(v)) {
      throw new Error(`evaluatePredictions: no decision threshold for quality '${q}'.`);
    }
    return v;
  };
  const perQuality: Record<string, QualityMetrics> = {};
  for (const q of qualities) perQuality[q] = qualityMetrics(predictions[q]!, thresholdOf(q));
  const col = (key: keyof Omit<QualityMetrics, 'frames' | 'videos' | 'threshold'>) =>
    mean(qualities.map((q) => perQuality[q]![key]));
  const allLabels = qualities.flatMap((q) => predictions[q]!.labels);
  const allScores = qualities.flatMap((q) => Array.from(predictions[q]!.scores));
  return {
    perQuality,
    average: {
      auc: col('auc'),
      accuracy: col('accuracy') ?? Number.NaN,
      balancedAccuracy: col('balancedAccuracy') ?? Number.NaN,
      eer: col('eer'),
      ap: col('ap'),
      videoAuc: col('videoAuc'),
      videoAccuracy: col('videoAccuracy') ?? Number.NaN,
    },
    pooled: {
      accuracy: accuracy(allLabels, allScores, 0.5),
      auc: defined(() => rocAuc(allLabels, allScores)),
    },
  };
}

/** {@link predict} then {@link evaluatePredictions}. */
export async function evaluate(backbone: TrainableBackbone, source: EvalSource): Promise<Evaluation> {
  return evaluatePredictions(await predict(backbone, source));
}
