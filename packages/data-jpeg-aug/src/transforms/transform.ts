import type { Rng } from '@qad/core';
import type { ChromaSubsampling } from '../image/encode_image';
import type { ResizeKernel } from '../image/resize_image';
import type { RgbImage } from '../types';

/** Interleaved float32 pixels (`height × width × 3`), the output of {@link Normalize}. */
export interface FloatImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Serialisable description of a transform; {@link transformFromConfig} rebuilds the transform from it. */
export type TransformConfig =
  | { readonly name: 'Jpeg'; readonly quality: number; readonly chromaSubsampling: ChromaSubsampling }
  | {
      readonly name: 'RandomJpeg';
      readonly min: number;
      readonly max: number;
      readonly p: number;
      readonly chromaSubsampling: ChromaSubsampling;
    }
  | {
      readonly name: 'Resize';
      readonly width: number;
      readonly height: number;
      readonly kernel: ResizeKernel;
    }
  | { readonly name: 'HorizontalFlip'; readonly p: number }
  | {
      readonly name: 'Normalize';
      readonly mean: readonly [number, number, number];
      readonly std: readonly [number, number, number];
    }
  | { readonly name: 'Compose'; readonly transforms: readonly TransformConfig[] };

/**
 * An image transform, split like albumentations' `get_params` / `apply` into a random draw and a
 * deterministic application:
 *
 * - `draw(rng)` takes the transform's random parameters from `rng`, synchronously, always consuming the same
 *   number of values whatever the outcome (so a pipeline's later draws do not shift when a probability
 *   changes);
 * - `applyParams(image, params)` applies them — call it on several images to give them the same draw
 *   (e.g. the same flip on every quality of a face);
 * - `apply(image, rng)` is `applyParams(image, draw(rng))`; the draw happens when `apply` is called, so
 *   several calls in flight on one generator stay deterministic in call order.
 *
 * Transforms never modify their input; an image a transform leaves unchanged may be returned as is.
 *
 * @typeParam I - input image type.
 * @typeParam O - output image type.
 * @typeParam P - drawn parameters (`undefined` for deterministic transforms).
 */
export interface Transform<I = RgbImage, O = RgbImage, P = unknown> {
  /** Serialisable form (name and options with defaults filled in). */
  readonly config: TransformConfig;
  /** Draws the random parameters of one application. */
  draw(rng: Rng): P;
  /** Applies the transform with given parameters. */
  applyParams(image: I, params: P): Promise<O>;
  /** Draws parameters from `rng` and applies them. */
  apply(image: I, rng: Rng): Promise<O>;
}

/** Builds a {@link Transform} from its draw and apply functions. */
export function defineTransform<I, O, P>(
  config: TransformConfig,
  draw: (rng: Rng) => P,
  applyParams: (image: I, params: P) => Promise<O>,
): Transform<I, O, P> {
  return {
    config,
    draw,
    applyParams,
    apply: (image, rng) => applyParams(image, draw(rng)),
  };
}

/** Throws unless `p` is a probability in [0, 1]. */
export function assertProbability(p: number, fn: string): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new Error(`Argument 'p' passed to '${fn}' must be a probability in [0, 1], got ${p}.`);
  }
}
