export type { FrameInfo, FrameTransform } from './load_frame';
export { PairedLoader, type PairedLoaderOptions, type PairedLoaderState } from './paired_loader';
