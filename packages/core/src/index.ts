export { type AtomicWriteOptions, atomicWrite, tempSibling } from './atomic_write';
export { meanCrossEntropy } from './cross_entropy';
export { freeTapeOnThrow } from './free_tape_on_throw';
export * from './kernel_names';
export type { PairedBatch } from './paired_batch';
export type { PairedIndex, PairedSplit } from './paired_index';
export {
  checkNumQualities,
  FFPP_QUALITIES,
  QAD_QUALITIES,
  type Quality,
  RANDOM_JPEG_QUALITY,
} from './quality';
export { qualityBlockRows, splitQualityBlocks, type TapFeatures } from './quality_blocks';
export { Rng } from './random';
export { type Label, SPLITS, type Split } from './split';
export { stopGradient } from './stop_gradient';
