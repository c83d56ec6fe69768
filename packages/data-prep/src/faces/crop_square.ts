import type { RgbImage } from '@qad/data-jpeg-aug';
import type { SquareRegion } from './face_box';

/**
 * Copies the pixels of `region` out of `image` (no resampling, so crops of the raw, c23 and c40 versions of a
 * frame cover exactly the same pixels).
 *
 * @throws when the region is not integer or not fully inside the image.
 */
export function cropSquare(image: RgbImage, region: SquareRegion): RgbImage {
  const { x, y, size } = region;
  if (
    !Number.isInteger(x) ||
    !Number.isInteger(y) ||
    !Number.isInteger(size) ||
    size < 1 ||
    x < 0 ||
    y < 0 ||
    x + size > image.width ||
    y + size > image.height
  ) {
    throw new Error(
      `cropSquare: region ${JSON.stringify(region)} is not an integer square inside the ${image.width}×${image.height} image`,
    );
  }
  const out = new Uint8Array(size * size * 3);
  const rowBytes = size * 3;
  for (let row = 0; row < size; row++) {
    const from = ((y + row) * image.width + x) * 3;
    out.set(image.data.subarray(from, from + rowBytes), row * rowBytes);
  }
  return { data: out, width: size, height: size };
}
