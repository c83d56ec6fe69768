import { atomicWrite } from '@qad/core';
import type { RgbImage } from '../types';
import { encodeJpeg, encodePng, type JpegOptions } from './encode_image';

/**
 * Encodes `image` with {@link encodeJpeg} and writes it atomically to `path`.
 *
 * @param path - destination file; its directory must exist.
 * @param image - the pixels.
 * @param quality - integer JPEG quality in [1, 100].
 */
export async function saveJpeg(
  path: string,
  image: RgbImage,
  quality: number,
  options: JpegOptions = {},
): Promise<void> {
  await atomicWrite(path, await encodeJpeg(image, quality, options));
}

/**
 * Encodes `image` as a lossless PNG and writes it atomically to `path`.
 *
 * @param path - destination file; its directory must exist.
 * @param image - the pixels.
 */
export async function savePng(path: string, image: RgbImage): Promise<void> {
  await atomicWrite(path, await encodePng(image));
}
