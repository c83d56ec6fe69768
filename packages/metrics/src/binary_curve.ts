import { readBatch } from './input';
import type { Labels, Scores } from './types';
import { assertBothClasses } from './validate';

/**
 * Cumulative counts at every distinct score, highest first: `tps[k]` fakes and `fps[k]` reals have
 * `score >= thresholds[k]`. The shared core of every ranking metric.
 */
export interface BinaryCurve {
  thresholds: Float64Array;
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * Builds the {@link BinaryCurve} in O(n log n). Instead of sorting indices with a comparator (slow in V8),
 * the scores of each class are copied into their own Float64Array and sorted natively, then the two sorted
 * runs are merged from the top; equal scores of either class collapse into one threshold, which is exactly
 * the tie rule of the Mann–Whitney statistic and of scikit-learn's curves.
 */
export function binaryCurve(labels: Uint8Array, scores: Float64Array): BinaryCurve {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const negatives = n - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();

  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let i = positives - 1;
  let j = negatives - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (i >= 0 || j >= 0) {
    const top = i < 0 ? neg[j]! : j < 0 ? pos[i]! : Math.max(pos[i]!, neg[j]!);
    // `===` treats -0 and +0 as one score, as the comparisons that define the curve do.
    while (i >= 0 && pos[i] === top) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === top) {
      fp++;
      j--;
    }
    // Adding +0 turns a -0 threshold into +0 so that it prints as 0.
    thresholds[m] = top + 0;
    tps[m] = tp;
    fps[m] = fp;
    m++;
  }
  // Views, not copies: the curve is transient, and rocFromCurve copies what it returns anyway.
  return {
    thresholds: thresholds.subarray(0, m),
    tps: tps.subarray(0, m),
    fps: fps.subarray(0, m),
    positives,
    negatives,
  };
}

/**
 * Reads a labels/scores pair and builds its curve for a ranking metric, which needs both classes.
 * `metric` names the quantity in the single-class error, e.g. 'ROC AUC'.
 */
export function rankingCurve(labels: Labels, scores: Scores, fnName: string, metric: string): BinaryCurve {
  const batch = readBatch(labels, scores, fnName);
  const curve = binaryCurve(batch.labels, batch.scores);
  assertBothClasses(curve.positives, curve.negatives, `Argument 'labels' passed to '${fnName}'`, metric);
  return curve;
}
