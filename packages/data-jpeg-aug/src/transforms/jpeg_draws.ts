import { readFile, stat } from 'node:fs/promises';
import { atomicWrite, Rng } from '@qad/core';
import { assertJpegQuality, type ChromaSubsampling } from '../image/encode_image';
import { jpegRoundTrip } from '../image/jpeg_round_trip';
import type { RgbImage } from '../types';

/**
 * Default quality range of the test-time random-JPEG protocol, inclusive. The paper (Table 2, "random
 * image compression […] JPEG on raw of test set") cites albumentations' `ImageCompression` but states no
 * range; 60–100 is our documented choice (moderate to no compression, centred on what shared face images
 * undergo). Pass `min`/`max` to use another.
 */
export const RANDOM_JPEG_TEST_RANGE: { readonly min: number; readonly max: number } = { min: 60, max: 100 };

/** Format tag written in every draws file. */
export const JPEG_DRAWS_FORMAT = 'qad-random-jpeg';

/**
 * The pre-drawn JPEG quality of every test image (one draw per image, fixed across runs), as saved by
 * {@link saveJpegDraws}.
 */
export interface JpegDraws {
  readonly format: typeof JPEG_DRAWS_FORMAT;
  readonly version: 1;
  readonly seed: number;
  readonly min: number;
  readonly max: number;
  readonly chromaSubsampling: ChromaSubsampling;
  /** Quality of each image, keyed by the image's key (its path or id), in draw order. */
  readonly qualities: Readonly<Record<string, number>>;
}

/** Options of {@link drawJpegQualities}. */
export interface DrawJpegQualitiesOptions {
  /** Seed of the draws (default 0). */
  readonly seed?: number;
  /** Lowest quality, inclusive (default {@link RANDOM_JPEG_TEST_RANGE}.min). */
  readonly min?: number;
  /** Highest quality, inclusive (default {@link RANDOM_JPEG_TEST_RANGE}.max). */
  readonly max?: number;
  /** Chroma subsampling used when applying the draws (default `'4:2:0'`). */
  readonly chromaSubsampling?: ChromaSubsampling;
}

/**
 * Draws one JPEG quality per test image, uniformly over the integers of `[min, max]`, with a generator
 * seeded by `seed`: key `i` gets the `i`-th draw.
 *
 * @param keys - one unique key per test image (its path, or a stable id).
 */
export function drawJpegQualities(
  keys: readonly string[],
  options: DrawJpegQualitiesOptions = {},
): JpegDraws {
  const seed = options.seed ?? 0;
  const min = options.min ?? RANDOM_JPEG_TEST_RANGE.min;
  const max = options.max ?? RANDOM_JPEG_TEST_RANGE.max;
  const chromaSubsampling = options.chromaSubsampling ?? '4:2:0';
  assertJpegQuality(min, 'drawJpegQualities', 'min');
  assertJpegQuality(max, 'drawJpegQualities', 'max');
  if (min > max) throw new Error(`'drawJpegQualities': min (${min}) must not exceed max (${max}).`);
  if (!Number.isInteger(seed))
    throw new Error(`Argument 'seed' passed to 'drawJpegQualities' must be an integer, got ${seed}.`);
  if (chromaSubsampling !== '4:2:0' && chromaSubsampling !== '4:4:4') {
    throw new Error(`Argument 'chromaSubsampling' passed to 'drawJpegQualities' must be '4:2:0' or '4:4:4'.`);
  }
  const rng = new Rng(seed);
  const seen = new Set<string>();
  const entries: [string, number][] = [];
  for (const key of keys) {
    if (typeof key !== 'string')
      throw new Error(`'drawJpegQualities': keys must be strings, got ${typeof key}.`);
    if (seen.has(key)) throw new Error(`'drawJpegQualities': duplicate key '${key}'.`);
    seen.add(key);
    entries.push([key, rng.int(min, max)]);
  }
  return {
    format: JPEG_DRAWS_FORMAT,
    version: 1,
    seed,
    min,
    max,
    chromaSubsampling,
    qualities: Object.fromEntries(entries),
  };
}

/**
 * Writes draws as JSON, atomically (temporary file, then rename).
 *
 * @param path - destination file; its directory must exist.
 */
export async function saveJpegDraws(path: string, draws: JpegDraws): Promise<void> {
  validateDraws(draws, `draws passed to saveJpegDraws`);
  await atomicWrite(path, `${JSON.stringify(draws, null, 1)}\n`);
}

/**
 * Reads and validates draws written by {@link saveJpegDraws}.
 *
 * @throws Error naming the file when it is missing, not JSON, or not a draws file.
 */
export async function loadJpegDraws(path: string): Promise<JpegDraws> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`loadJpegDraws: cannot read '${path}': ${(error as Error).message}`);
  }
  validateDraws(parsed, `'${path}'`);
  return parsed;
}

/**
 * The test-time protocol in one call: loads the draws at `path` if the file exists — checking that they
 * were drawn with the same seed and range and cover every key — otherwise draws them and saves them there,
 * so that every run (and every model compared) sees the same quality per image.
 *
 * @param path - the draws file.
 * @param keys - one unique key per test image.
 */
export async function loadOrDrawJpegQualities(
  path: string,
  keys: readonly string[],
  options: DrawJpegQualitiesOptions = {},
): Promise<JpegDraws> {
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const draws = drawJpegQualities(keys, options);
    await saveJpegDraws(path, draws);
    return draws;
  }
  const draws = await loadJpegDraws(path);
  const wanted = {
    seed: options.seed ?? 0,
    min: options.min ?? RANDOM_JPEG_TEST_RANGE.min,
    max: options.max ?? RANDOM_JPEG_TEST_RANGE.max,
    chromaSubsampling: options.chromaSubsampling ?? '4:2:0',
  };
  for (const [name, value] of Object.entries(wanted)) {
    const saved = draws[name as keyof typeof wanted];
    if (saved !== value) {
      throw new Error(
        `loadOrDrawJpegQualities: '${path}' was drawn with ${name} ${JSON.stringify(saved)}, not ${JSON.stringify(value)}; pass the same options or delete the file to draw again.`,
      );
    }
  }
  for (const key of keys) jpegQualityFor(draws, key, path);
  return draws;
}

/**
 * The pre-drawn quality of one image.
 *
 * @throws Error naming the key when it was not drawn.
 */
export function jpegQualityFor(draws: JpegDraws, key: string, source = 'the JPEG draws'): number {
  if (!Object.hasOwn(draws.qualities, key)) {
    throw new Error(`jpegQualityFor: no JPEG quality drawn for '${key}' in ${source}.`);
  }
  return draws.qualities[key] as number;
}

/**
 * Applies the pre-drawn quality of image `key` with the real codec ({@link jpegRoundTrip}).
 *
 * @param draws - the draws.
 * @param key - the image's key.
 * @param image - its pixels (the raw test frame).
 */
export async function applyJpegDraw(draws: JpegDraws, key: string, image: RgbImage): Promise<RgbImage> {
  return jpegRoundTrip(image, jpegQualityFor(draws, key), { chromaSubsampling: draws.chromaSubsampling });
}

/**
 * A frame hook for {@link PairedLoaderOptions.frameTransform}: compresses each decoded frame at the quality
 * drawn for its path (or for `keyOf(path)`), before any resizing.
 *
 * @param draws - the draws.
 * @param keyOf - maps a frame's path to its key (default: the path itself).
 */
export function jpegDrawsFrameTransform(
  draws: JpegDraws,
  keyOf: (path: string) => string = (path) => path,
): (image: RgbImage, frame: { readonly path: string }) => Promise<RgbImage> {
  return (image, frame) => applyJpegDraw(draws, keyOf(frame.path), image);
}

function validateDraws(value: unknown, source: string): asserts value is JpegDraws {
  const d = value as Partial<JpegDraws> | null;
  const fail = (why: string): never => {
    throw new Error(`loadJpegDraws: ${source} is not a valid JPEG draws file: ${why}.`);
  };
  if (d === null || typeof d !== 'object') fail('not a JSON object');
  if (d?.format !== JPEG_DRAWS_FORMAT)
    fail(`format is ${JSON.stringify(d?.format)}, expected '${JPEG_DRAWS_FORMAT}'`);
  if (d?.version !== 1) fail(`unsupported version ${JSON.stringify(d?.version)}`);
  if (!Number.isInteger(d?.seed)) fail('seed is not an integer');
  if (d?.chromaSubsampling !== '4:2:0' && d?.chromaSubsampling !== '4:4:4') fail('bad chromaSubsampling');
  const min = d?.min as number;
  const max = d?.max as number;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 100 || min > max) {
    fail(`bad range [${min}, ${max}]`);
  }
  if (d?.qualities === null || typeof d?.qualities !== 'object' || Array.isArray(d?.qualities))
    fail('no qualities');
  for (const [key, q] of Object.entries(d?.qualities as object)) {
    if (!Number.isInteger(q) || q < min || q > max)
      fail(`quality of '${key}' is ${JSON.stringify(q)}, outside [${min}, ${max}]`);
  }
}
