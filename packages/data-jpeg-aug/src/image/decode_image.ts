import sharp from 'sharp';
import type { RgbImage } from '../types';
import { asBytes } from './rgb_image';

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** Name used in error messages when the input is a buffer (default `'<buffer>'`). */
  readonly name?: string;
}

/**
 * Decodes an image file or an encoded buffer (JPEG, PNG, WebP, TIFF, … — whatever libvips reads) into 8-bit
 * sRGB. The result always has three channels: greyscale is expanded, an alpha channel is dropped (not
 * blended), 16-bit input is reduced to 8 bits. EXIF orientation is not applied: pixels come back in stored
 * order, as face crops written by this package are never rotated.
 *
 * Decoding is strict (`failOn: 'warning'`), so a truncated or corrupt JPEG is an error rather than a
 * half-grey image.
 *
 * @param input - a file path, or the encoded bytes.
 * @returns the decoded pixels.
 * @throws Error naming the file (or `options.name`) and the decoder's reason, for a missing, corrupt,
 *   truncated or non-image input.
 */
export async function decodeImage(
  input: string | Uint8Array,
  options: DecodeImageOptions = {},
): Promise<RgbImage> {
  const name = typeof input === 'string' ? input : (options.name ?? '<buffer>');
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new Error(`Argument 'input' passed to 'decodeImage' must be a file path or a Uint8Array.`);
  }
  try {
    const { data, info } = await sharp(input, { failOn: 'warning' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return { data: asBytes(data), width: info.width, height: info.height };
  } catch (error) {
    throw new Error(`decodeImage: cannot decode '${name}': ${explainDecodeError(error)}`);
  }
}

/**
 * The decoder's reason for a failure. libvips reports decoder warnings (for instance "premature end of JPEG
 * image") through a shared buffer, so under concurrent decodes sharp sometimes only says that a warning was
 * turned into an error; that case is spelled out.
 */
export function explainDecodeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /warning treated as error/i.test(message)
    ? `${message} (the decoder warned about corrupt or truncated image data)`
    : message;
}
