import { assertJpegQuality, type ChromaSubsampling } from '../image/encode_image';
import { jpegRoundTrip } from '../image/jpeg_round_trip';
import type { RgbImage } from '../types';
import { defineTransform, type Transform } from './transform';

/** Options of {@link Jpeg}. */
export interface JpegTransformOptions {
  /** Integer JPEG quality in [1, 100]. */
  readonly quality: number;
  /** Chroma subsampling (default `'4:2:0'`, see {@link encodeJpeg}). */
  readonly chromaSubsampling?: ChromaSubsampling;
}

/**
 * Compresses every image at one fixed quality through the real codec ({@link jpegRoundTrip}): a
 * deterministic transform (draws nothing).
 */
export function Jpeg(options: JpegTransformOptions): Transform<RgbImage, RgbImage, undefined> {
  const { quality } = options;
  const chromaSubsampling = options.chromaSubsampling ?? '4:2:0';
  assertJpegQuality(quality, 'Jpeg');
  return defineTransform(
    { name: 'Jpeg', quality, chromaSubsampling },
    () => undefined,
    (image: RgbImage) => jpegRoundTrip(image, quality, { chromaSubsampling }),
  );
}
