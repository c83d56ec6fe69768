import type { RgbImage } from '../types';
import { rawInput } from './encode_image';
import { asBytes, assertRgbImage } from './rgb_image';

/**
 * Interpolation kernels of libvips' resize: `nearest`, `linear` (triangle), `cubic` (Catmull–Rom),
 * `mitchell`, `lanczos2`, `lanczos3`. Every kernel but `nearest` is widened by the shrink factor when
 * downscaling, so it antialiases (like Pillow's filters, unlike OpenCV's `INTER_LINEAR`).
 */
export type ResizeKernel = 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3';

/** The kernels of {@link ResizeKernel}, for validation. */
export const RESIZE_KERNELS: readonly ResizeKernel[] = [
  'nearest',
  'linear',
  'cubic',
  'mitchell',
  'lanczos2',
  'lanczos3',
];

/** Target of {@link resizeImage}. */
export interface ResizeOptions {
  readonly width: number;
  readonly height: number;
  /** Interpolation kernel (default `'linear'`). */
  readonly kernel?: ResizeKernel;
}

/**
 * Resizes to exactly `width × height` (aspect ratio not kept, as face crops are square) with libvips.
 * Returns the input itself when the size is already right.
 *
 * @param image - the pixels.
 * @param options - target size and kernel.
 */
export async function resizeImage(image: RgbImage, options: ResizeOptions): Promise<RgbImage> {
  assertRgbImage(image, 'resizeImage');
  const { width, height } = options;
  const kernel = options.kernel ?? 'linear';
  assertSize(width, 'width', 'resizeImage');
  assertSize(height, 'height', 'resizeImage');
  assertKernel(kernel, 'resizeImage');
  if (width === image.width && height === image.height) return image;
  const data = await rawInput(image).resize(width, height, { fit: 'fill', kernel }).raw().toBuffer();
  return { data: asBytes(data), width, height };
}

/** Throws unless `value` is a positive integer pixel count. */
export function assertSize(value: number, arg: string, fn: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Argument '${arg}' passed to '${fn}' must be a positive integer, got ${value}.`);
  }
}

/** Throws unless `kernel` is one of {@link RESIZE_KERNELS}. */
export function assertKernel(kernel: string, fn: string): void {
  if (!(RESIZE_KERNELS as readonly string[]).includes(kernel)) {
    throw new Error(
      `Argument 'kernel' passed to '${fn}' must be one of ${RESIZE_KERNELS.join(', ')}, got '${kernel}'.`,
    );
  }
}
