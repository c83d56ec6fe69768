import { assertKernel, assertSize, type ResizeKernel, resizeImage } from '../image/resize_image';
import type { RgbImage } from '../types';
import { defineTransform, type Transform } from './transform';

/** Options of {@link Resize}: a square `size`, or `width` and `height`. */
export type ResizeTransformOptions = (
  | { readonly size: number; readonly width?: undefined; readonly height?: undefined }
  | { readonly width: number; readonly height: number; readonly size?: undefined }
) & {
  /** Interpolation kernel (default `'linear'`). */
  readonly kernel?: ResizeKernel;
};

/** Resizes every image to a fixed size with libvips ({@link resizeImage}); draws nothing. */
export function Resize(options: ResizeTransformOptions): Transform<RgbImage, RgbImage, undefined> {
  const width = options.size ?? options.width;
  const height = options.size ?? options.height;
  if (options.size !== undefined && (options.width !== undefined || options.height !== undefined)) {
    throw new Error(`'Resize': give either 'size' or 'width' and 'height', not both.`);
  }
  assertSize(width as number, options.size === undefined ? 'width' : 'size', 'Resize');
  assertSize(height as number, options.size === undefined ? 'height' : 'size', 'Resize');
  const kernel = options.kernel ?? 'linear';
  assertKernel(kernel, 'Resize');
  const w = width as number;
  const h = height as number;
  return defineTransform(
    { name: 'Resize', width: w, height: h, kernel },
    () => undefined,
    (image: RgbImage) => resizeImage(image, { width: w, height: h, kernel }),
  );
}
