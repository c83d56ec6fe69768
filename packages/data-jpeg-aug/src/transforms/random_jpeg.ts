import { assertJpegQuality, type ChromaSubsampling } from '../image/encode_image';
import { jpegRoundTrip } from '../image/jpeg_round_trip';
import type { RgbImage } from '../types';
import { assertProbability, defineTransform, type Transform } from './transform';

/** Options of {@link RandomJpeg}. */
export interface RandomJpegOptions {
  /** Lowest quality, inclusive (default 60). */
  readonly min?: number;
  /** Highest quality, inclusive (default 100). */
  readonly max?: number;
  /** Probability of compressing (default 0.5, as albumentations' `ImageCompression`). */
  readonly p?: number;
  /** Chroma subsampling (default `'4:2:0'`). */
  readonly chromaSubsampling?: ChromaSubsampling;
}

/** Parameters drawn by {@link RandomJpeg}. */
export interface RandomJpegParams {
  /** Whether the image is compressed. */
  readonly applied: boolean;
  /** The quality, uniform over the integers of [min, max] (drawn even when not applied). */
  readonly quality: number;
}

/**
 * With probability `p`, compresses the image through the real codec at a quality drawn uniformly from the
 * integers of `[min, max]`; otherwise returns it unchanged. Each draw consumes exactly two values of the
 * generator.
 */
export function RandomJpeg(options: RandomJpegOptions = {}): Transform<RgbImage, RgbImage, RandomJpegParams> {
  const min = options.min ?? 60;
  const max = options.max ?? 100;
  const p = options.p ?? 0.5;
  const chromaSubsampling = options.chromaSubsampling ?? '4:2:0';
  assertJpegQuality(min, 'RandomJpeg', 'min');
  assertJpegQuality(max, 'RandomJpeg', 'max');
  if (min > max) throw new Error(`'RandomJpeg': min (${min}) must not exceed max (${max}).`);
  assertProbability(p, 'RandomJpeg');
  return defineTransform(
    { name: 'RandomJpeg', min, max, p, chromaSubsampling },
    (rng) => {
      const applied = rng.chance(p);
      const quality = rng.int(min, max);
      return { applied, quality };
    },
    async (image: RgbImage, params: RandomJpegParams) =>
      params.applied ? jpegRoundTrip(image, params.quality, { chromaSubsampling }) : image,
  );
}
