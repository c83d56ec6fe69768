export { Adam, type AdamOptions, type AdamState } from './adam';
export { AdamOptimizer, type AdamOptimizerOptions, type OptimizerWeight } from './adam_optimizer';
export { checkpointPath, loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint';
export {
  ADAM_UPDATE_KERNEL,
  centerLoss,
  pairwiseLoss,
  RANDOM_JPEG_QUALITY,
  softLabelLoss,
} from './deprecated';
export { NonFiniteLossError } from './errors';
export {
  type EvaluateOptions,
  type Evaluation,
  evaluate,
  evaluatePredictions,
  predict,
  type QualityMetrics,
  type QualityPredictions,
  qualityMetrics,
} from './evaluate';
export {
  type AwpKind,
  type CollaborativeKind,
  METHOD_NAMES,
  type MethodSpec,
  resolveMethod,
} from './methods';
export { type OneCycleOptions, OneCycleSchedule } from './one_cycle';
export { type PresetName, presetFor, type TrainingHyperParameters } from './presets';
export type { BatchSource, EvalBatch, EvalSource } from './sources';
export { resolveTapWeights } from './tap_weights';
export { measureThroughput, type ThroughputOptions, type ThroughputResult } from './throughput';
export { type StepLosses, type StepSettings, type StepTarget, trainStep } from './train_step';
export type { TrainableBackbone } from './trainable';
export { type StepEvent, type TrainOptions, type TrainResult, train, type ValidationEvent } from './trainer';
