import type { RgbImage } from '../types';

/**
 * Checks that `image` is a well-formed {@link RgbImage}: positive integer sizes and exactly
 * `width·height·3` bytes. Throws an error naming the calling function and argument otherwise.
 *
 * @param image - the value to check.
 * @param fn - name of the public function, for the error message.
 * @param arg - name of the argument, for the error message.
 */
export function assertRgbImage(image: RgbImage, fn: string, arg = 'image'): void {
  if (image === null || typeof image !== 'object' || !(image.data instanceof Uint8Array)) {
    throw new Error(`Argument '${arg}' passed to '${fn}' must be an RgbImage with Uint8Array data.`);
  }
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(
      `Argument '${arg}' passed to '${fn}' must have positive integer width and height, got ${width}×${height}.`,
    );
  }
  if (data.length !== width * height * 3) {
    throw new Error(
      `Argument '${arg}' passed to '${fn}' has ${data.length} bytes, expected ${width}×${height}×3 = ${width * height * 3}.`,
    );
  }
}

/** Wraps a Node `Buffer` (or any byte view) as a plain `Uint8Array` over the same memory, without copying. */
export function asBytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
