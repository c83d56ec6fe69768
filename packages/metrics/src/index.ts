export { accuracy } from './accuracy';
export { averagePrecision } from './average_precision';
export { balancedAccuracy } from './balanced_accuracy';
export { bestThreshold, type ThresholdCriterion } from './best_threshold';
export { BinaryAccuracy } from './binary_accuracy';
export { BinaryAuroc } from './binary_auroc';
export { BinaryAveragePrecision } from './binary_average_precision';
export { BinaryConfusionMatrix } from './binary_confusion_matrix';
export { BinaryEer } from './binary_eer';
export { BinaryMetric, type StreamingMetric } from './binary_metric';
export { BinaryRocCurve } from './binary_roc_curve';
export { confusionMatrix } from './confusion_matrix';
export { eer } from './eer';
export {
  GroupedReport,
  type GroupedReportJson,
  type GroupedReportOptions,
  type ReportMetric,
  type ReportMetricName,
} from './grouped_report';
export { rocAuc } from './roc_auc';
export { rocCurve } from './roc_curve';
export type {
  ConfusionMatrix,
  EerResult,
  Labels,
  RocCurve,
  Scores,
  ThresholdOptions,
  VideoAggregationOptions,
  VideoId,
  VideoIds,
  VideoReduction,
  VideoScores,
} from './types';
export { aggregateVideos, VideoAggregator } from './video_aggregation';
