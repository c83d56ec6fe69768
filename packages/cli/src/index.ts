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
  type DetectOptions,
  type DetectorInput,
  detectFakes,
  type FaceScore,
  type FileDetection,
  faceTensor,
} from './detect';
export { embed, embeddingModel } from './embedding';
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
  type CurveSeries,
  curveFigure,
  type Figure,
  rocFigure,
  type TsneOptions,
  tsneEmbedding,
  tsneFigure,
} from './plots';
export { evaluationCsv, evaluationMarkdown, metricTable, type TableMetric } from './report';
