import type { BinaryCurve } from './binary_curve';
import { eerFromCurve } from './eer';
import { RankingMetric } from './ranking_metric';
import type { EerResult } from './types';

/** Streaming {@link eer}: the equal error rate (and its threshold) over every accumulated batch. */
export class BinaryEer extends RankingMetric<EerResult> {
  constructor() {
    super('BinaryEer', 'the EER');
  }

  protected fromCurve(curve: BinaryCurve): EerResult {
    return eerFromCurve(curve);
  }
}
