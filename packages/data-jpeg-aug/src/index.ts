export * from './benchmark';
export * from './datasets';
export * from './deprecated';
export * from './faces';
export * from './image';
export * from './loader';
export * from './transforms';
export type { RgbImage, VideoRecord } from './types';
export * from './video';
