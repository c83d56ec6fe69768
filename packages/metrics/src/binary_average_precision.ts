import { apFromCurve } from './average_precision';
import type { BinaryCurve } from './binary_curve';
import { RankingMetric } from './ranking_metric';

/** Streaming {@link averagePrecision}: step-wise AP over every accumulated batch. */
export class BinaryAveragePrecision extends RankingMetric<number> {
  constructor() {
    super('BinaryAveragePrecision', 'average precision');
  }

  protected fromCurve(curve: BinaryCurve): number {
    return apFromCurve(curve);
  }
}
