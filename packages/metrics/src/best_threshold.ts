import { readBatch } from './input';
import type { Labels, Scores } from './types';
import { assertBothClasses } from './validate';

/** What {@link bestThreshold} maximises. */
export type ThresholdCriterion = 'accuracy' | 'balancedAccuracy';

/**
 * The decision threshold that maximises accuracy, or balanced accuracy (equivalently Youden's J = TPR − FPR),
 * on a validation set, to be applied unchanged to the test set: a sample is then predicted fake iff
 * `score >= threshold`. Where the classes are unbalanced (FF++ has four fakes per real video) 0.5 is
 * arbitrary for a trained model; `'accuracy'` accounts for the class shares of a test set drawn like the
 * validation set, `'balancedAccuracy'` ignores them. The threshold is placed half-way between the lowest score
 * it classifies as fake and the next lower score, so that it does not sit on a validation sample; ties go to
 * the higher threshold.
 *
 * @param labels - 1 = fake, 0 = real; both classes must occur.
 * @param scores - probability of fake.
 * @param criterion - default `'accuracy'`.
 * @returns the threshold; `+Infinity` ("real" for everything) when nothing beats it.
 *
 * @example
 * ```ts
 * bestThreshold([0, 0, 1, 1], [0.6, 0.7, 0.8, 0.9]); // 0.75
 * ```
 */
export function bestThreshold(
  labels: Labels,
  scores: Scores,
  criterion: ThresholdCriterion = 'accuracy',
): number {
  const fn = 'bestThreshold';
  if (criterion !== 'accuracy' && criterion !== 'balancedAccuracy') {
    throw new Error(
      `Argument 'criterion' passed to '${fn}' must be 'accuracy' or 'balancedAccuracy', but got '${String(criterion)}'.`,
    );
  }
  const batch = readBatch(labels, scores, fn);
  const n = batch.labels.length;
  const positives = batch.labels.reduce((a, b) => a + b, 0);
  const negatives = n - positives;
  assertBothClasses(positives, negatives, `Argument 'labels' passed to '${fn}'`, 'a best threshold');
  const value =
    criterion === 'accuracy'
      ? (tp: number, fp: number) => (tp + negatives - fp) / n
      : (tp: number, fp: number) => (tp / positives + (negatives - fp) / negatives) / 2;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => batch.scores[b]! - batch.scores[a]!);
  let tp = 0;
  let fp = 0;
  let best = value(0, 0);
  let threshold = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; ) {
    const s = batch.scores[order[k]!]!;
    // Everything tied at s goes to the same side of any threshold.
    while (k < n && batch.scores[order[k]!]! === s) {
      if (batch.labels[order[k]!] === 1) tp++;
      else fp++;
      k++;
    }
    const v = value(tp, fp);
    if (v > best) {
      best = v;
      threshold = k < n ? (s + batch.scores[order[k]!]!) / 2 : s;
    }
  }
  return threshold;
}
