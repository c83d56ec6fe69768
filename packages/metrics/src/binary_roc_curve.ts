import type { BinaryCurve } from './binary_curve';
import { RankingMetric } from './ranking_metric';
import { rocFromCurve } from './roc_curve';
import type { RocCurve } from './types';

/** Streaming {@link rocCurve}: the ROC curve over every accumulated batch. */
export class BinaryRocCurve extends RankingMetric<RocCurve> {
  constructor() {
    super('BinaryRocCurve', 'the ROC curve');
  }

  protected fromCurve(curve: BinaryCurve): RocCurve {
    return rocFromCurve(curve);
  }
}
