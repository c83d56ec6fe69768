import type { Rng } from '@qad/core';
import type { RgbImage } from '../types';
import type { Transform } from './transform';

/** An 8-bit to 8-bit transform with any parameters (the non-final members of a {@link Compose}). */
export type RgbTransform = Transform<RgbImage, RgbImage, unknown>;

/**
 * Chains transforms: each gets the previous one's output. Only the last may change the image type (for
 * instance {@link Normalize}). Its draw is the list of its members' draws, taken in order, so
 * `applyParams` replays a whole pipeline on another image.
 *
 * @param transforms - the members, applied left to right; an empty list is the identity.
 */
export function Compose(transforms: readonly []): Transform<RgbImage, RgbImage, unknown[]>;
export function Compose<O>(
  transforms: readonly [...RgbTransform[], Transform<RgbImage, O, unknown>],
): Transform<RgbImage, O, unknown[]>;
export function Compose(
  transforms: readonly Transform<RgbImage, unknown, unknown>[],
): Transform<RgbImage, unknown, unknown[]> {
  if (!Array.isArray(transforms))
    throw new Error(`Argument 'transforms' passed to 'Compose' must be an array.`);
  transforms.forEach((t, i) => {
    if (
      t === null ||
      typeof t !== 'object' ||
      typeof t.applyParams !== 'function' ||
      typeof t.draw !== 'function'
    ) {
      throw new Error(`'Compose': member ${i} is not a transform.`);
    }
    if (t.config.name === 'Normalize' && i !== transforms.length - 1) {
      throw new Error(
        `'Compose': Normalize (member ${i}) must be the last transform, as it outputs float32 pixels.`,
      );
    }
  });
  const members = transforms.slice();
  const draw = (rng: Rng): unknown[] => members.map((t) => t.draw(rng));
  const applyParams = async (image: RgbImage, params: unknown[]): Promise<unknown> => {
    if (!Array.isArray(params) || params.length !== members.length) {
      throw new Error(
        `'Compose': expected ${members.length} parameter entries, got ${JSON.stringify(params)}.`,
      );
    }
    let current: unknown = image;
    for (let i = 0; i < members.length; i++) {
      current = await (members[i] as Transform<unknown, unknown, unknown>).applyParams(current, params[i]);
    }
    return current;
  };
  return {
    config: { name: 'Compose', transforms: members.map((t) => t.config) },
    draw,
    applyParams,
    apply: (image, rng) => applyParams(image, draw(rng)),
  };
}
