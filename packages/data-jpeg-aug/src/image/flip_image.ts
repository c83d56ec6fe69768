import type { RgbImage } from '../types';
import { assertRgbImage } from './rgb_image';

/**
 * Mirrors an image left–right (column `x` becomes column `width − 1 − x`) into a new image.
 *
 * @param image - the pixels.
 */
export function flipHorizontal(image: RgbImage): RgbImage {
  assertRgbImage(image, 'flipHorizontal');
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const src = row + x * 3;
      const dst = row + (width - 1 - x) * 3;
      out[dst] = data[src] as number;
      out[dst + 1] = data[src + 1] as number;
      out[dst + 2] = data[src + 2] as number;
    }
  }
  return { data: out, width, height };
}
