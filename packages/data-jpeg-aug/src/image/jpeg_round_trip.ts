import type { RgbImage } from '../types';
import { decodeImage } from './decode_image';
import { encodeJpeg, type JpegOptions } from './encode_image';

/**
 * Compresses `image` with {@link encodeJpeg} and decodes it back: the image as a viewer would see it after
 * saving it at `quality`.
 *
 * @param image - the pixels.
 * @param quality - integer JPEG quality in [1, 100].
 */
export async function jpegRoundTrip(
  image: RgbImage,
  quality: number,
  options: JpegOptions = {},
): Promise<RgbImage> {
  const bytes = await encodeJpeg(image, quality, options);
  return decodeImage(bytes, { name: `<JPEG at quality ${quality}>` });
}
