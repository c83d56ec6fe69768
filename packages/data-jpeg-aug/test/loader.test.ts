import { join } from 'node:path';
import type { PairedBatch, PairedSplit } from '@qad/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, jpegRoundTrip, resizeImage, savePng } from '../src/image';
import { PairedLoader, type PairedLoaderOptions } from '../src/loader';
import {
  Compose,
  drawJpegQualities,
  HorizontalFlip,
  jpegDrawsFrameTransform,
  jpegQualityFor,
} from '../src/transforms';
import { defineTransform } from '../src/transforms/transform';
import type { RgbImage } from '../src/types';
import { naturalImage, tempDir } from './image_fixtures';
import {
  BLUE_LEFT,
  BLUE_RIGHT,
  greenOf,
  labelOf,
  QUALITIES,
  redOf,
  writeCodedSplit,
} from './loader_fixtures';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

let dir = '';
let cleanup: () => Promise<void> = async () => {};
let coded: PairedSplit;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('loader'));
  coded = await writeCodedSplit(dir, 10);
});
afterAll(() => cleanup());

const base: PairedLoaderOptions = {
  qualities: QUALITIES,
  batchSize: 4,
  inputSize: 8,
  preResize: 16,
  seed: 1,
};

/** Undoes the ImageNet normalisation of one value of channel `c`. */
const byte = (v: number, c: number): number => Math.round((v * STD[c]! + MEAN[c]!) * 255);

/** Pixel (row 0, column x) of image `k` of a `[N, H, W, 3]` array. */
function pixel(values: Float32Array, shape: number[], k: number, x: number): number[] {
  const [, h, w] = shape as [number, number, number];
  const at = ((k * h + 0) * w + x) * 3;
  return [0, 1, 2].map((c) => byte(values[at + c]!, c));
}

interface Decoded {
  sample: number;
  quality: number;
  flipped: boolean;
}

/** Reads back which sample and quality each image of a batch shows, and whether it is mirrored. */
function readCoded(batch: PairedBatch): Decoded[] {
  const values = batch.images.dataSync() as Float32Array;
  const shape = batch.images.shape;
  const w = shape[2];
  return Array.from({ length: shape[0] }, (_, k) => {
    const [r, g, left] = pixel(values, shape, k, 0) as [number, number, number];
    const right = pixel(values, shape, k, w - 1)[2];
    expect([left, right].sort()).toEqual([BLUE_LEFT, BLUE_RIGHT].sort());
    return { sample: (r - redOf(0)) / 12, quality: (g - greenOf(0)) / 80, flipped: left === BLUE_RIGHT };
  });
}

async function take(loader: PairedLoader, n: number): Promise<{ images: Float32Array; meta: string }[]> {
  const out: { images: Float32Array; meta: string }[] = [];
  for (let i = 0; i < n; i++) {
    const batch = await loader.next();
    out.push({
      images: (batch.images.dataSync() as Float32Array).slice(),
      meta: JSON.stringify([
        batch.sampleIndices,
        batch.qualities,
        batch.batchSize,
        Array.from(batch.labels.dataSync()),
      ]),
    });
    batch.dispose();
  }
  return out;
}

describe('PairedLoader batch layout', () => {
  it('puts the same samples in the same positions of every quality block, with the recorded block order', async () => {
    const loader = new PairedLoader(coded, base);
    expect(loader.batchesPerEpoch).toBe(3);
    const orders = new Set<string>();
    for (let epoch = 0; epoch < 2; epoch++) {
      const seen: number[] = [];
      for await (const batch of loader.epochBatches()) {
        const b = batch.batchSize;
        expect(batch.images.shape).toEqual([3 * b, 8, 8, 3]);
        expect(batch.images.dtype).toBe('float32');
        const decoded = readCoded(batch);
        batch.qualities.forEach((quality, m) => {
          for (let j = 0; j < b; j++) {
            const d = decoded[m * b + j]!;
            expect(d.sample).toBe(batch.sampleIndices[j]);
            expect(QUALITIES[d.quality]).toBe(quality);
          }
        });
        expect(Array.from(batch.labels.dataSync())).toEqual(
          batch.qualities.flatMap(() => batch.sampleIndices.map((i) => labelOf(i))),
        );
        expect([...batch.qualities].sort()).toEqual([...QUALITIES].sort());
        orders.add(batch.qualities.join());
        seen.push(...batch.sampleIndices);
        batch.dispose();
      }
      expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(orders.size).toBeGreaterThan(1);
    const fixed = new PairedLoader(coded, { ...base, shuffleQualities: false, shuffle: false });
    const first = await fixed.next();
    expect(first.qualities).toEqual(QUALITIES);
    expect(first.sampleIndices).toEqual([0, 1, 2, 3]);
    first.dispose();
  });

  it('draws one flip per sample, shared by all its qualities', async () => {
    const loader = new PairedLoader(coded, { ...base, flipProbability: 0.5 });
    let flipped = 0;
    let kept = 0;
    for (let i = 0; i < 6; i++) {
      const batch = await loader.next();
      const decoded = readCoded(batch);
      const b = batch.batchSize;
      for (let j = 0; j < b; j++) {
        const states = batch.qualities.map((_, m) => decoded[m * b + j]!.flipped);
        expect(new Set(states).size).toBe(1);
        if (states[0]) flipped++;
        else kept++;
      }
      batch.dispose();
    }
    expect(flipped).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it('flipProbability 1 mirrors exactly what flipProbability 0 gives', async () => {
    const options = { ...base, dropLast: true };
    const [kept] = await take(new PairedLoader(coded, { ...options, flipProbability: 0 }), 1);
    const mirroredLoader = new PairedLoader(coded, { ...options, flipProbability: 1 });
    const batch = await mirroredLoader.next();
    const mirrored = tf.tidy(() => tf.reverse(batch.images, 2).dataSync() as Float32Array);
    expect(Buffer.from(mirrored.buffer).equals(Buffer.from(kept!.images.buffer))).toBe(true);
    batch.dispose();
  });

  it('runs a given augment transform: one draw per sample, the same parameters on every quality', async () => {
    const options = { ...base, dropLast: true };
    const [plain] = await take(new PairedLoader(coded, { ...options, flipProbability: 0 }), 1);
    // Each sample's draw picks a brightness offset; every quality of the sample must get the same one.
    const seen: number[] = [];
    const brighten = defineTransform<RgbImage, RgbImage, number>(
      { name: 'HorizontalFlip', p: 0 },
      (rng) => rng.int(1, 20),
      async (image, offset) => {
        seen.push(offset);
        return { ...image, data: image.data.map((v) => Math.min(255, v + offset)) };
      },
    );
    const loader = new PairedLoader(coded, {
      ...options,
      augment: Compose([HorizontalFlip({ p: 1 }), brighten]),
      prefetch: 0,
    });
    const batch = await loader.next();
    const b = batch.batchSize;
    const m = batch.qualities.length;
    // Applied once per frame, M × B times, and each sample's offset repeats across its M qualities.
    expect(seen).toHaveLength(m * b);
    const got = tf.tidy(() => tf.reverse(batch.images, 2).arraySync() as number[][][][]);
    const ref = tf.tensor4d(plain!.images, batch.images.shape as [number, number, number, number]);
    const refRows = ref.arraySync();
    // Red channel back to 0…255 (ImageNet normalisation), at the first pixel not saturated by the offset.
    const red = (v: number) => (v * 0.229 + 0.485) * 255;
    for (let j = 0; j < b; j++) {
      const offsets = Array.from({ length: m }, (_, q) => {
        const before = refRows[q * b + j]!.flat().find((px) => red(px[0]!) < 230)!;
        const at = refRows[q * b + j]!.flat().indexOf(before);
        return Math.round(red(got[q * b + j]!.flat()[at]![0]!) - red(before[0]!));
      });
      expect(offsets[0]).toBeGreaterThanOrEqual(1);
      expect(new Set(offsets).size).toBe(1);
    }
    ref.dispose();
    batch.dispose();
    loader.close();
    expect(
      () => new PairedLoader(coded, { ...options, augment: HorizontalFlip(), flipProbability: 0.5 }),
    ).toThrow("PairedLoader: give 'augment' or 'flipProbability', not both");
  });

  it('drops the short last batch with dropLast', async () => {
    const loader = new PairedLoader(coded, { ...base, dropLast: true });
    expect(loader.batchesPerEpoch).toBe(2);
    const batches = await take(loader, 2);
    const samples = batches.flatMap((b) => JSON.parse(b.meta)[0] as number[]);
    expect(new Set(samples).size).toBe(8);
    expect(loader.state()).toMatchObject({ epoch: 1, position: 0 });
  });
});

describe('PairedLoader pixels', () => {
  let natural: PairedSplit;
  beforeAll(async () => {
    const frames = { raw: [] as string[], c23: [] as string[] };
    for (let i = 0; i < 3; i++) {
      for (const [m, q] of (['raw', 'c23'] as const).entries()) {
        const path = join(dir, `natural_${q}_${i}.png`);
        await savePng(path, naturalImage(40, 36, 10 * i + m));
        frames[q].push(path);
      }
    }
    // The shared `Record<Quality, …>` type names raw/c23/c40; this split has two of them.
    natural = {
      frames: frames as unknown as PairedSplit['frames'],
      labels: [0, 1, 0],
      videos: ['a', 'b', 'c'],
    };
  });

  /** The documented pipeline, by hand: decode → resize(s) → (v/255 − mean)/std. */
  async function reference(image: RgbImage, sizes: number[]): Promise<number[]> {
    let current = image;
    for (const s of sizes) current = await resizeImage(current, { width: s, height: s });
    return Array.from(current.data, (v, i) => Math.fround((v / 255 - MEAN[i % 3]!) / STD[i % 3]!));
  }

  it.each([
    ['pre-resize to 128, then 24', 128, [128, 24]],
    ['no pre-resize', null, [24]],
  ] as const)('equal decode → resize → normalise by hand (%s)', async (_, preResize, sizes) => {
    const loader = new PairedLoader(natural, {
      qualities: ['raw', 'c23'],
      batchSize: 3,
      inputSize: 24,
      preResize,
      flipProbability: 0,
      shuffle: false,
      shuffleQualities: false,
    });
    const batch = await loader.next();
    const values = Array.from(batch.images.dataSync());
    const frame = 24 * 24 * 3;
    for (const [m, q] of (['raw', 'c23'] as const).entries()) {
      for (let j = 0; j < 3; j++) {
        const expected = await reference(await decodeImage(natural.frames[q]![j]!), [...sizes]);
        const k = m * 3 + j;
        expect(values.slice(k * frame, (k + 1) * frame)).toEqual(expected);
      }
    }
    batch.dispose();
  });

  it('applies test-time JPEG draws to each frame before resizing', async () => {
    const paths = natural.frames.raw!;
    const draws = drawJpegQualities(paths, { seed: 4, min: 10, max: 40 });
    const loader = new PairedLoader(natural, {
      qualities: ['raw'],
      batchSize: 3,
      inputSize: 24,
      flipProbability: 0,
      shuffle: false,
      shuffleQualities: false,
      frameTransform: jpegDrawsFrameTransform(draws),
    });
    const batch = await loader.next();
    const values = Array.from(batch.images.dataSync());
    for (let j = 0; j < 3; j++) {
      const path = paths[j]!;
      const compressed = await jpegRoundTrip(await decodeImage(path), jpegQualityFor(draws, path));
      expect(values.slice(j * 1728, (j + 1) * 1728)).toEqual(await reference(compressed, [128, 24]));
    }
    batch.dispose();
  });
});

describe('PairedLoader determinism and resume', () => {
  it('the same seed gives bit-identical batches whatever the prefetch depth; another seed differs', async () => {
    const a = await take(new PairedLoader(coded, { ...base, prefetch: 0 }), 7);
    const b = await take(new PairedLoader(coded, { ...base, prefetch: 3 }), 7);
    a.forEach((batch, i) => {
      expect(b[i]!.meta).toBe(batch.meta);
      expect(Buffer.from(b[i]!.images.buffer).equals(Buffer.from(batch.images.buffer))).toBe(true);
    });
    const c = await take(new PairedLoader(coded, { ...base, seed: 2 }), 7);
    expect(c.map((x) => x.meta)).not.toEqual(a.map((x) => x.meta));
  });

  it.each([1, 3, 4, 5])('resuming after %i batches equals the uninterrupted run', async (k) => {
    const uninterrupted = await take(new PairedLoader(coded, base), k + 5);
    const first = new PairedLoader(coded, base);
    await take(first, k);
    const state = JSON.parse(JSON.stringify(first.state()));
    expect(state).toMatchObject({
      epoch: Math.floor(k / 3),
      position: k % 3,
      seed: 1,
      numSamples: 10,
      batchSize: 4,
    });
    first.close();
    const resumed = new PairedLoader(coded, base);
    resumed.restore(state);
    const rest = await take(resumed, 5);
    rest.forEach((batch, i) => {
      const expected = uninterrupted[k + i]!;
      expect(batch.meta).toBe(expected.meta);
      expect(Buffer.from(batch.images.buffer).equals(Buffer.from(expected.images.buffer))).toBe(true);
    });
  });
});

describe('PairedLoader memory', () => {
  it('keeps tf.memory().numTensors flat over 200 batches when each batch is disposed', async () => {
    const loader = new PairedLoader(coded, {
      ...base,
      qualities: ['raw', 'c40'],
      batchSize: 3,
      inputSize: 4,
      preResize: 8,
    });
    const before = tf.memory().numTensors;
    let peak = before;
    for (let i = 0; i < 200; i++) {
      const batch = await loader.next();
      peak = Math.max(peak, tf.memory().numTensors);
      batch.dispose();
      batch.dispose(); // idempotent
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(peak).toBe(before + 2);
    expect(loader.state().epoch).toBe(50); // 4 batches per epoch
    loader.close();
    expect(tf.memory().numTensors).toBe(before);
    await expect(loader.next()).rejects.toThrow('PairedLoader: next() called after close().');
  });
});
