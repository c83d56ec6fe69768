export * from './deprecated';
export * from './image';
export * from './loader';
export * from './transforms';
export type { RgbImage } from './types';
export * from './video';
