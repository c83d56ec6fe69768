import { flipHorizontal } from '../image/flip_image';
import type { RgbImage } from '../types';
import { assertProbability, defineTransform, type Transform } from './transform';

/** Options of {@link HorizontalFlip}. */
export interface HorizontalFlipOptions {
  /** Probability of mirroring (default 0.5). */
  readonly p?: number;
}

/** Parameters drawn by {@link HorizontalFlip}. */
export interface HorizontalFlipParams {
  readonly flipped: boolean;
}

/** Mirrors the image left–right with probability `p`; each draw consumes one value of the generator. */
export function HorizontalFlip(
  options: HorizontalFlipOptions = {},
): Transform<RgbImage, RgbImage, HorizontalFlipParams> {
  const p = options.p ?? 0.5;
  assertProbability(p, 'HorizontalFlip');
  return defineTransform(
    { name: 'HorizontalFlip', p },
    (rng) => ({ flipped: rng.chance(p) }),
    async (image: RgbImage, params: HorizontalFlipParams) => (params.flipped ? flipHorizontal(image) : image),
  );
}
