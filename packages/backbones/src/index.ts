export type { FileTensor, LoadReport, LoadWeightsOptions } from './assign_weights';
export {
  BATCH_NORM_TRAIN_KERNELS,
  type BatchNormArgs,
  batchNormTraining,
  LeanBatchNormalization,
} from './batch_norm';
export {
  type Backbone,
  createBackbone,
  type ForwardOptions,
  type ForwardResult,
} from './create_backbone';
export { atomicWrite } from './deprecated';
export { loadDetector, saveDetector } from './detector_io';
export { DilatedConv2D, type DilatedConv2DArgs } from './dilated_conv';
export { type FileSystemOptions, fileSystem } from './file_system_io';
export {
  type KerasLayerWeights,
  type KerasWeight,
  type KerasWeightFile,
  parseKerasWeights,
} from './keras_h5';
export {
  encodeKerasWeights,
  exportKerasWeights,
  type KerasLoadReport,
  loadKerasWeights,
} from './keras_weights';
export type { LayerNaming, TorchNaming } from './layer_names';
export { loadSafetensorsWeights, loadTfjsWeights, type SafetensorsLoadOptions } from './load_weights';
export { type ModelLocation, resolveLocation } from './model_location';
export { type InferenceReport, optimizeForInference } from './optimize_for_inference';
export { type OptimizeReport, optimizeForTraining } from './optimize_for_training';
export type { BackboneInfo, BackboneName, BackboneOptions, BackboneVariant } from './options';
export { type ConvPadding, PaddedConv2D, type PaddedConv2DArgs } from './padded_conv';
export { PaddedMaxPooling2D, type PaddedMaxPooling2DArgs } from './padded_max_pool';
export { registerBackboneLayers } from './register_layers';
export { listBackbones } from './registry';
export {
  encodeSafetensors,
  type Float32Entry,
  parseSafetensors,
  readSafetensors,
  type SafetensorsContents,
  type SafetensorsDtype,
  type SafetensorsTensor,
  writeSafetensors,
} from './safetensors';
export { StemConv2D, type StemConv2DArgs } from './stem_conv';
export { StochasticDepth, type StochasticDepthArgs } from './stochastic_depth';
export type { BackboneSummary } from './summary';
export { SWISH_KERNELS, Swish, swish } from './swish';
export { exportWeights, type WeightLayout, type WeightNamingOptions } from './weight_slots';
