import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PairedSplit } from '@qad/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJpeg } from '../src/image';
import { PairedLoader, type PairedLoaderOptions } from '../src/loader';
import { naturalImage, tempDir } from './image_fixtures';
import { QUALITIES, writeCodedSplit } from './loader_fixtures';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
let split: PairedSplit;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('loader-errors'));
  split = await writeCodedSplit(dir, 6);
});
afterAll(() => cleanup());

const options: PairedLoaderOptions = { qualities: QUALITIES, batchSize: 2, inputSize: 4, preResize: 8 };

/** A copy of the split whose frame `sample` of `quality` is `path`. */
function withFrame(quality: string, sample: number, path: string): PairedSplit {
  const frames = {
    ...split.frames,
    [quality]: split.frames[quality]!.map((p, i) => (i === sample ? path : p)),
  };
  return { ...split, frames };
}

describe('PairedLoader rejects a bad split or bad options', () => {
  it('names a quality the split lacks', () => {
    const { c40: _, ...twoQualities } = split.frames;
    const partial = { ...split, frames: twoQualities as PairedSplit['frames'] };
    expect(() => new PairedLoader(partial, options)).toThrow(
      "PairedLoader: the split has no frames for quality 'c40' (it has: raw, c23).",
    );
  });

  it('rejects an empty split, mismatched lengths, bad labels and bad quality lists', () => {
    const empty = { frames: { raw: [], c23: [], c40: [] }, labels: [], videos: [] };
    expect(() => new PairedLoader(empty, options)).toThrow('PairedLoader: the split is empty (0 samples).');
    const short = { ...split, frames: { ...split.frames, c23: split.frames.c23!.slice(1) } };
    expect(() => new PairedLoader(short, options)).toThrow(
      "PairedLoader: quality 'c23' has 5 frames but the split has 6 labels.",
    );
    const badLabel = { ...split, labels: [0, 1, 2, 0, 1, 0] as never };
    expect(() => new PairedLoader(badLabel, options)).toThrow('PairedLoader: label 2 is 2, not 0 or 1.');
    expect(() => new PairedLoader(split, { ...options, qualities: [] })).toThrow(
      "'qualities' must list at least one quality",
    );
    expect(() => new PairedLoader(split, { ...options, qualities: ['raw', 'raw'] })).toThrow(
      "PairedLoader: quality 'raw' is listed twice in 'qualities'.",
    );
  });

  it('rejects bad options with the option named', () => {
    const cases: [Partial<PairedLoaderOptions>, string][] = [
      [{ batchSize: 0 }, "Argument 'batchSize' passed to 'PairedLoader' must be a positive integer, got 0."],
      [
        { inputSize: 2.5 },
        "Argument 'inputSize' passed to 'PairedLoader' must be a positive integer, got 2.5.",
      ],
      [{ preResize: 0 }, "Argument 'preResize' passed to 'PairedLoader' must be a positive integer, got 0."],
      [
        { flipProbability: 2 },
        "Argument 'flipProbability' passed to 'PairedLoader' must be in [0, 1], got 2.",
      ],
      [{ prefetch: -1 }, "Argument 'prefetch' passed to 'PairedLoader' must be an integer >= 0, got -1."],
      [{ seed: 0.5 }, "Argument 'seed' passed to 'PairedLoader' must be an integer, got 0.5."],
      [{ std: [1, 1] }, "Argument 'std' passed to 'PairedLoader' must be 3 finite numbers > 0"],
      [
        { batchSize: 7, dropLast: true },
        'PairedLoader: the split has 6 samples, fewer than batchSize 7, and dropLast leaves no batch.',
      ],
    ];
    for (const [bad, message] of cases)
      expect(() => new PairedLoader(split, { ...options, ...bad })).toThrow(message);
  });

  it('rejects a state from another configuration or out of range', () => {
    const loader = new PairedLoader(split, options);
    const state = loader.state();
    expect(() => new PairedLoader(split, { ...options, seed: 9 }).restore(state)).toThrow(
      'PairedLoader.restore: the state has seed 0, this loader has 9.',
    );
    expect(() => loader.restore({ ...state, position: 3 })).toThrow(
      'PairedLoader.restore: position 3 is outside [0, 2].',
    );
  });
});

describe('PairedLoader names the file it cannot load', () => {
  it('a missing file: in verifyFiles() and in next(), and the loader stays at that batch', async () => {
    const missing = join(dir, 'gone.png');
    const broken = withFrame('c23', 0, missing);
    const loader = new PairedLoader(broken, { ...options, shuffle: false });
    await expect(loader.verifyFiles()).rejects.toThrow(
      `PairedLoader: frame '${missing}' (quality 'c23', sample 0) is missing.`,
    );
    const before = tf.memory().numTensors;
    await expect(loader.next()).rejects.toThrow(
      `PairedLoader: cannot load '${missing}' (quality 'c23', sample 0): Input file is missing`,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(loader.state()).toMatchObject({ epoch: 0, position: 0 });
    await copyFile(split.frames.c23![0]!, missing);
    const batch = await loader.next();
    expect(batch.sampleIndices).toEqual([0, 1]);
    batch.dispose();
    await rm(missing);
  });

  it('a corrupt or truncated JPEG, also when it sits in a prefetched batch', async () => {
    const truncated = join(dir, 'truncated.jpg');
    const jpeg = await encodeJpeg(naturalImage(16, 16, 3), 90);
    await writeFile(truncated, jpeg.subarray(0, jpeg.length - 40));
    const garbage = join(dir, 'garbage.jpg');
    await writeFile(garbage, Buffer.from('\xff\xd8 this is not really a JPEG'));
    for (const [path, why] of [
      [truncated, /premature end of JPEG|corrupt or truncated/i],
      [garbage, /./],
    ] as const) {
      // Sample 5 is in the third batch: it fails while prefetched, and must surface only when reached.
      const loader = new PairedLoader(withFrame('raw', 5, path), { ...options, shuffle: false, prefetch: 2 });
      const ok = [await loader.next(), await loader.next()];
      for (const b of ok) b.dispose();
      const error = await loader.next().then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toContain(`PairedLoader: cannot load '${path}' (quality 'raw', sample 5): `);
      expect(error?.message).toMatch(why);
    }
  });
});
