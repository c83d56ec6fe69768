export { Adam, type AdamOptions, type AdamState } from './adam';
export { loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint';
export {
  DataConfigSchema,
  EvalConfigSchema,
  type ExperimentConfig,
  ExperimentConfigSchema,
  expandEnvironment,
  loadConfig,
  ModelConfigSchema,
  parseConfig,
  type ResolvedExperiment,
  resolveExperiment,
  TrainConfigSchema,
} from './config';
export {
  ADAM_UPDATE_KERNEL,
  centerLoss,
  pairwiseLoss,
  RANDOM_JPEG_QUALITY,
  softLabelLoss,
} from './deprecated';
export {
  type DetectOptions,
  type DetectorInput,
  detectFakes,
  type FaceScore,
  type FileDetection,
  faceTensor,
} from './detect';
export { embed, embeddingModel } from './embedding';
export { NonFiniteLossError } from './errors';
export {
  type Evaluation,
  evaluate,
  evaluatePredictions,
  predict,
  type QualityMetrics,
  type QualityPredictions,
  qualityMetrics,
} from './evaluate';
export { evaluateExperiment } from './experiment/evaluate_experiment';
export {
  type PairedSourceOptions,
  pairedEvalSource,
  pairedTrainingSource,
} from './experiment/paired_sources';
export { type DataLog, loadDataset, preparePairedIndex } from './experiment/prepare_data';
export {
  buildBackbone,
  type ExperimentHooks,
  type ExperimentResult,
  runExperiment,
  testAndWrite,
} from './experiment/run_experiment';
export {
  type AwpKind,
  type CollaborativeKind,
  METHOD_NAMES,
  type MethodSpec,
  resolveMethod,
} from './methods';
export { type OneCycleOptions, OneCycleSchedule } from './one_cycle';
export { type Figure, rocFigure, type TsneOptions, tsneEmbedding, tsneFigure } from './plots';
export { type PresetName, presetFor, type TrainingHyperParameters } from './presets';
export { evaluationCsv, evaluationMarkdown, metricTable, type TableMetric } from './report';
export type { BatchSource, EvalBatch, EvalSource } from './sources';
export { resolveTapWeights } from './tap_weights';
export { measureThroughput, type ThroughputOptions, type ThroughputResult } from './throughput';
export { type StepLosses, type StepSettings, type StepTarget, trainStep } from './train_step';
export type { TrainableBackbone } from './trainable';
export { type StepEvent, type TrainOptions, type TrainResult, train, type ValidationEvent } from './trainer';
