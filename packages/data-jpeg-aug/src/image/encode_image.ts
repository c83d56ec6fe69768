import sharp from 'sharp';
import type { RgbImage } from '../types';
import { asBytes, assertRgbImage } from './rgb_image';

/** Chroma subsampling of a JPEG: `'4:2:0'` halves both chroma resolutions, `'4:4:4'` keeps them. */
export type ChromaSubsampling = '4:2:0' | '4:4:4';

/** Options of {@link encodeJpeg}. */
export interface JpegOptions {
  /**
   * Chroma subsampling, at every quality (default `'4:2:0'`: what libjpeg's `jpeg_set_defaults`, OpenCV's
   * `imencode` and Pillow use, hence what albumentations' `ImageCompression` — the paper's random-JPEG
   * protocol — produces).
   */
  readonly chromaSubsampling?: ChromaSubsampling;
}

/**
 * Encodes an image as a baseline JPEG with the standard IJG quantisation tables (ITU-T T.81 Annex K)
 * scaled by `quality` exactly as libjpeg's `jpeg_set_quality` does. sharp's prebuilt libvips links mozjpeg,
 * so every mozjpeg extension is switched off explicitly (no trellis quantisation, no overshoot deringing, no
 * scan optimisation, quantisation table 0 = Annex K); Huffman tables are optimised, which is lossless and
 * does not change the decoded pixels. The output therefore decodes to the same pixels as `cjpeg -quality q`
 * of libjpeg(-turbo) with the same subsampling.
 *
 * @param image - the pixels.
 * @param quality - integer in [1, 100].
 * @returns the JPEG file's bytes.
 */
export async function encodeJpeg(
  image: RgbImage,
  quality: number,
  options: JpegOptions = {},
): Promise<Uint8Array> {
  assertRgbImage(image, 'encodeJpeg');
  assertJpegQuality(quality, 'encodeJpeg');
  const chromaSubsampling = options.chromaSubsampling ?? '4:2:0';
  if (chromaSubsampling !== '4:2:0' && chromaSubsampling !== '4:4:4') {
    throw new Error(
      `Argument 'chromaSubsampling' passed to 'encodeJpeg' must be '4:2:0' or '4:4:4', got '${chromaSubsampling}'.`,
    );
  }
  const out = await rawInput(image)
    .jpeg({
      quality,
      chromaSubsampling,
      progressive: false,
      mozjpeg: false,
      trellisQuantisation: false,
      overshootDeringing: false,
      optimiseScans: false,
      quantisationTable: 0,
      optimiseCoding: true,
    })
    .toBuffer();
  return asBytes(out);
}

/**
 * Encodes an image as a lossless 8-bit RGB PNG.
 *
 * @param image - the pixels.
 * @param compressionLevel - zlib level 0–9 (default 6): only size and speed change, never the pixels.
 * @returns the PNG file's bytes.
 */
export async function encodePng(image: RgbImage, compressionLevel = 6): Promise<Uint8Array> {
  assertRgbImage(image, 'encodePng');
  if (!Number.isInteger(compressionLevel) || compressionLevel < 0 || compressionLevel > 9) {
    throw new Error(
      `Argument 'compressionLevel' passed to 'encodePng' must be an integer in [0, 9], got ${compressionLevel}.`,
    );
  }
  const out = await rawInput(image).png({ compressionLevel, palette: false }).toBuffer();
  return asBytes(out);
}

/** Throws unless `quality` is an integer JPEG quality in [1, 100]. */
export function assertJpegQuality(quality: number, fn: string, arg = 'quality'): void {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new Error(`Argument '${arg}' passed to '${fn}' must be an integer in [1, 100], got ${quality}.`);
  }
}

/** A sharp pipeline reading `image`'s raw pixels. */
export function rawInput(image: RgbImage): ReturnType<typeof sharp> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}
