// The test-time random-JPEG protocol: one pre-drawn quality per test image, saved and reloaded.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '@qad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegRoundTrip } from '../src/image';
import {
  applyJpegDraw,
  drawJpegQualities,
  jpegQualityFor,
  loadJpegDraws,
  loadOrDrawJpegQualities,
  RANDOM_JPEG_TEST_RANGE,
  saveJpegDraws,
} from '../src/transforms';
import { naturalImage, tempDir } from './image_fixtures';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('draws'));
});
afterAll(() => cleanup());

const keys = Array.from({ length: 500 }, (_, i) => `test/frame_${i}.png`);

describe('drawJpegQualities', () => {
  it('gives key i the i-th uniform integer draw of a generator seeded with the seed', () => {
    const draws = drawJpegQualities(keys, { seed: 17, min: 40, max: 45 });
    const rng = new Rng(17);
    expect(Object.keys(draws.qualities)).toEqual(keys);
    for (const key of keys) expect(draws.qualities[key]).toBe(rng.int(40, 45));
    expect(new Set(Object.values(draws.qualities))).toEqual(new Set([40, 41, 42, 43, 44, 45]));
    expect(drawJpegQualities(keys, { seed: 17, min: 40, max: 45 })).toEqual(draws);
    expect(drawJpegQualities(keys, { seed: 18, min: 40, max: 45 }).qualities).not.toEqual(draws.qualities);
  });

  it('defaults to the 60–100 range and seed 0', () => {
    expect(RANDOM_JPEG_TEST_RANGE).toEqual({ min: 60, max: 100 });
    const draws = drawJpegQualities(keys);
    expect([draws.seed, draws.min, draws.max, draws.chromaSubsampling]).toEqual([0, 60, 100, '4:2:0']);
    const values = Object.values(draws.qualities);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...values)).toBeLessThanOrEqual(100);
  });

  it('rejects duplicate keys and bad ranges', () => {
    expect(() => drawJpegQualities(['a', 'b', 'a'])).toThrow("'drawJpegQualities': duplicate key 'a'.");
    expect(() => drawJpegQualities(['a'], { min: 90, max: 80 })).toThrow('min (90) must not exceed max (80)');
    expect(() => drawJpegQualities(['a'], { seed: 1.5 })).toThrow(
      "Argument 'seed' passed to 'drawJpegQualities'",
    );
  });
});

describe('saving and reloading draws', () => {
  it('round-trips through JSON and leaves no temporary file', async () => {
    const draws = drawJpegQualities(keys, { seed: 3 });
    const path = join(dir, 'roundtrip.json');
    await saveJpegDraws(path, draws);
    expect(await loadJpegDraws(path)).toEqual(draws);
    expect(JSON.parse(await readFile(path, 'utf8')).format).toBe('qad-random-jpeg');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the file and the problem of a bad draws file', async () => {
    const missing = join(dir, 'missing.json');
    await expect(loadJpegDraws(missing)).rejects.toThrow(`loadJpegDraws: cannot read '${missing}'`);
    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, '{oops');
    await expect(loadJpegDraws(notJson)).rejects.toThrow(`loadJpegDraws: cannot read '${notJson}'`);
    const bad = join(dir, 'bad.json');
    const draws = drawJpegQualities(['x', 'y'], { min: 60, max: 70 });
    await writeFile(bad, JSON.stringify({ ...draws, qualities: { x: 65, y: 71 } }));
    await expect(loadJpegDraws(bad)).rejects.toThrow(
      `loadJpegDraws: '${bad}' is not a valid JPEG draws file: quality of 'y' is 71, outside [60, 70].`,
    );
    await writeFile(bad, JSON.stringify({ ...draws, format: 'other' }));
    await expect(loadJpegDraws(bad)).rejects.toThrow(`format is "other", expected 'qad-random-jpeg'`);
  });

  it('loadOrDrawJpegQualities draws once, then reloads the same draws so runs compare', async () => {
    const path = join(dir, 'protocol.json');
    const first = await loadOrDrawJpegQualities(path, keys, { seed: 5 });
    expect(first).toEqual(drawJpegQualities(keys, { seed: 5 }));
    // Tamper with one saved draw: a reload must return the file's content, not draw again.
    const saved = JSON.parse(await readFile(path, 'utf8'));
    saved.qualities[keys[0] as string] = saved.qualities[keys[0] as string] === 60 ? 61 : 60;
    await writeFile(path, JSON.stringify(saved));
    const second = await loadOrDrawJpegQualities(path, keys.slice(0, 10), { seed: 5 });
    expect(second.qualities[keys[0] as string]).toBe(saved.qualities[keys[0] as string]);
    await expect(loadOrDrawJpegQualities(path, keys, { seed: 6 })).rejects.toThrow(
      `loadOrDrawJpegQualities: '${path}' was drawn with seed 5, not 6;`,
    );
    await expect(loadOrDrawJpegQualities(path, ['unknown.png'], { seed: 5 })).rejects.toThrow(
      `jpegQualityFor: no JPEG quality drawn for 'unknown.png' in ${path}.`,
    );
  });
});

describe('applying draws', () => {
  it('compresses each image at its own pre-drawn quality with the real codec', async () => {
    const draws = drawJpegQualities(['a', 'b'], { seed: 2, min: 10, max: 100 });
    const image = naturalImage(24, 24, 4);
    for (const key of ['a', 'b']) {
      const out = await applyJpegDraw(draws, key, image);
      const reference = await jpegRoundTrip(image, jpegQualityFor(draws, key));
      expect(Buffer.from(out.data).equals(Buffer.from(reference.data))).toBe(true);
    }
    await expect(applyJpegDraw(draws, 'c', image)).rejects.toThrow(
      "no JPEG quality drawn for 'c' in the JPEG draws.",
    );
  });
});
