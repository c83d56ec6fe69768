import type { BinaryCurve } from './binary_curve';
import { RankingMetric } from './ranking_metric';
import { aucFromCurve } from './roc_auc';

/**
 * Streaming {@link rocAuc}: accumulates batches and returns the AUC over all of them, identical to
 * `rocAuc` on the concatenation (every sample is kept: 9 bytes each).
 *
 * @example
 * ```ts
 * const auroc = new BinaryAuroc();
 * for (const { labels, scores } of batches) auroc.update(labels, scores);
 * const auc = auroc.compute();
 * ```
 */
export class BinaryAuroc extends RankingMetric<number> {
  constructor() {
    super('BinaryAuroc', 'ROC AUC');
  }

  protected fromCurve(curve: BinaryCurve): number {
    return aucFromCurve(curve);
  }
}
