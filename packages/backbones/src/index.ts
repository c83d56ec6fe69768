export type { FileTensor, LoadReport, LoadWeightsOptions } from './assign_weights';
export { atomicWrite } from './atomic_write';
export {
  type Backbone,
  createBackbone,
  type ForwardOptions,
  type ForwardResult,
} from './create_backbone';
export { loadDetector, saveDetector } from './detector_io';
export { type FileSystemOptions, fileSystem } from './file_system_io';
export { loadSafetensorsWeights, loadTfjsWeights } from './load_weights';
export type { BackboneInfo, BackboneName, BackboneOptions } from './options';
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
export { exportWeights, type WeightLayout } from './weight_slots';
