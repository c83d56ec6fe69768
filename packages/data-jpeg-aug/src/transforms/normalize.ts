import { assertRgbImage } from '../image/rgb_image';
import type { RgbImage } from '../types';
import { defineTransform, type FloatImage, type Transform } from './transform';

/** ImageNet per-channel mean of RGB on [0, 1] (torchvision's constants). */
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];

/** ImageNet per-channel standard deviation of RGB on [0, 1] (torchvision's constants). */
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** Options of {@link Normalize}. */
export interface NormalizeOptions {
  /** Per-channel mean on [0, 1] (default {@link IMAGENET_MEAN}). */
  readonly mean?: readonly number[];
  /** Per-channel standard deviation on [0, 1] (default {@link IMAGENET_STD}). */
  readonly std?: readonly number[];
}

/**
 * Converts 8-bit pixels to float32: `(v / 255 − mean[c]) / std[c]` per channel `c`, computed in double
 * precision and rounded once to float32. Draws nothing; must be the last transform of a {@link Compose}.
 */
export function Normalize(options: NormalizeOptions = {}): Transform<RgbImage, FloatImage, undefined> {
  const mean = checkTriple(options.mean ?? IMAGENET_MEAN, 'mean', false);
  const std = checkTriple(options.std ?? IMAGENET_STD, 'std', true);
  const lut = normalizationTable(mean, std);
  return defineTransform(
    { name: 'Normalize', mean, std },
    () => undefined,
    async (image: RgbImage) => {
      assertRgbImage(image, 'Normalize');
      const out = new Float32Array(image.data.length);
      for (let i = 0; i < out.length; i++) out[i] = lut[(i % 3) * 256 + (image.data[i] as number)] as number;
      return { data: out, width: image.width, height: image.height };
    },
  );
}

/**
 * The 3 × 256 table of normalised values, `table[c·256 + v] = (v / 255 − mean[c]) / std[c]` as float32, so
 * normalising is one lookup per byte.
 */
export function normalizationTable(mean: readonly number[], std: readonly number[]): Float32Array {
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - (mean[c] as number)) / (std[c] as number);
  }
  return table;
}

/** Validates a per-channel triple; returns a copy. */
export function checkTriple(
  values: readonly number[],
  arg: string,
  positive: boolean,
  fn = 'Normalize',
): [number, number, number] {
  if (
    !Array.isArray(values) ||
    values.length !== 3 ||
    values.some((v) => typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0))
  ) {
    throw new Error(
      `Argument '${arg}' passed to '${fn}' must be 3 finite numbers${positive ? ' > 0' : ''}, got ${JSON.stringify(values)}.`,
    );
  }
  return [values[0] as number, values[1] as number, values[2] as number];
}
