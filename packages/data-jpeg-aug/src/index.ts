export * from './benchmark';
export * from './datasets';
export * from './faces';
export * from './image';
export * from './loader';
export { Rng } from './random';
export * from './transforms';
export type {
  Label,
  PairedBatch,
  PairedIndex,
  PairedSplit,
  Quality,
  RgbImage,
  Split,
  VideoRecord,
} from './types';
export { FFPP_QUALITIES, SPLITS } from './types';
export * from './video';
