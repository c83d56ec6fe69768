import type { RgbImage } from '../types';
import { assertRgbImage } from './rgb_image';

/**
 * Peak signal-to-noise ratio between two images of the same size, over all pixels and channels:
 * `10·log10(255² / MSE)` in dB. `Infinity` for identical images.
 *
 * @param a - reference image.
 * @param b - distorted image.
 */
export function psnr(a: RgbImage, b: RgbImage): number {
  assertRgbImage(a, 'psnr', 'a');
  assertRgbImage(b, 'psnr', 'b');
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`'psnr': images differ in size: ${a.width}×${a.height} and ${b.width}×${b.height}.`);
  }
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = (a.data[i] as number) - (b.data[i] as number);
    sum += d * d;
  }
  if (sum === 0) return Number.POSITIVE_INFINITY;
  const mse = sum / a.data.length;
  return 10 * Math.log10((255 * 255) / mse);
}
