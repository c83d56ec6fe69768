import { Rng } from '@qad/core';
import { describe, expect, it } from 'vitest';
import { flipHorizontal, jpegRoundTrip, psnr, resizeImage } from '../src/image';
import {
  Compose,
  type FloatImage,
  HorizontalFlip,
  Jpeg,
  Normalize,
  RandomJpeg,
  Resize,
  transformFromConfig,
} from '../src/transforms';
import type { RgbImage } from '../src/types';
import { naturalImage, solidImage } from './image_fixtures';

const image = naturalImage(32, 24, 7);

/** State of a generator seeded with `seed` after `n` values. */
function stateAfter(seed: number, n: number): number {
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) rng.next();
  return rng.state;
}

describe('RandomJpeg', () => {
  it('the same seed reproduces the same choices, another seed does not', () => {
    const t = RandomJpeg({ min: 20, max: 90, p: 0.5 });
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => t.draw(rng));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('draws qualities over the whole inclusive range, applies with probability p, two values per draw', () => {
    const t = RandomJpeg({ min: 95, max: 97, p: 0.3 });
    const rng = new Rng(1);
    const seen = new Set<number>();
    let applied = 0;
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const d = t.draw(rng);
      seen.add(d.quality);
      if (d.applied) applied++;
    }
    expect([...seen].sort()).toEqual([95, 96, 97]);
    const sd = Math.sqrt(n * 0.3 * 0.7);
    expect(Math.abs(applied - n * 0.3)).toBeLessThan(4 * sd);
    expect(rng.state).toBe(stateAfter(1, 2 * n));
  });

  it('p = 0 leaves the image untouched', async () => {
    const t = RandomJpeg({ min: 10, max: 20, p: 0 });
    const rng = new Rng(3);
    for (let i = 0; i < 20; i++) {
      const out = await t.apply(image, rng);
      expect(out).toBe(image);
    }
  });

  it('p = 1 always compresses, at the drawn quality', async () => {
    const t = RandomJpeg({ min: 10, max: 60, p: 1 });
    for (let seed = 0; seed < 8; seed++) {
      const params = t.draw(new Rng(seed));
      expect(params.applied).toBe(true);
      const out = await t.apply(image, new Rng(seed));
      expect(psnr(image, out)).toBeLessThan(Number.POSITIVE_INFINITY);
      const reference = await jpegRoundTrip(image, params.quality);
      expect(Buffer.from(out.data).equals(Buffer.from(reference.data))).toBe(true);
    }
  });

  it('validates its options', () => {
    expect(() => RandomJpeg({ min: 0 })).toThrow(
      "Argument 'min' passed to 'RandomJpeg' must be an integer in [1, 100], got 0.",
    );
    expect(() => RandomJpeg({ min: 80, max: 70 })).toThrow(
      "'RandomJpeg': min (80) must not exceed max (70).",
    );
    expect(() => RandomJpeg({ p: 1.5 })).toThrow(
      "Argument 'p' passed to 'RandomJpeg' must be a probability in [0, 1], got 1.5.",
    );
    expect(RandomJpeg().config).toEqual({
      name: 'RandomJpeg',
      min: 60,
      max: 100,
      p: 0.5,
      chromaSubsampling: '4:2:0',
    });
  });
});

describe('deterministic transforms', () => {
  it('Jpeg compresses at its quality and draws nothing', async () => {
    const rng = new Rng(9);
    const out = await Jpeg({ quality: 30 }).apply(image, rng);
    expect(rng.state).toBe(new Rng(9).state);
    expect(Buffer.from(out.data).equals(Buffer.from((await jpegRoundTrip(image, 30)).data))).toBe(true);
    expect(() => Jpeg({ quality: 101 })).toThrow(
      "Argument 'quality' passed to 'Jpeg' must be an integer in [1, 100]",
    );
  });

  it('Resize takes a square size or width and height', async () => {
    const square = await Resize({ size: 8 }).apply(image, new Rng(0));
    expect([square.width, square.height]).toEqual([8, 8]);
    const rect = await Resize({ width: 10, height: 6, kernel: 'nearest' }).apply(image, new Rng(0));
    const reference = await resizeImage(image, { width: 10, height: 6, kernel: 'nearest' });
    expect(rect.data).toEqual(reference.data);
    expect(() => Resize({ size: 8, width: 4, height: 4 } as never)).toThrow(
      "give either 'size' or 'width' and 'height'",
    );
    expect(() => Resize({ size: -1 })).toThrow(
      "Argument 'size' passed to 'Resize' must be a positive integer, got -1.",
    );
  });

  it('Normalize maps bytes to (v/255 − mean)/std per channel in float32', async () => {
    const pixels: RgbImage = { data: Uint8Array.from([0, 128, 255, 255, 0, 51]), width: 2, height: 1 };
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const out = await Normalize().apply(pixels, new Rng(0));
    expect(out.data).toBeInstanceOf(Float32Array);
    const expected = Array.from(pixels.data, (v, i) => Math.fround((v / 255 - mean[i % 3]!) / std[i % 3]!));
    expect(Array.from(out.data)).toEqual(expected);
    const custom = await Normalize({ mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }).apply(pixels, new Rng(0));
    expect(Array.from(custom.data)).toEqual(Array.from(pixels.data, (v) => Math.fround(v / 127.5 - 1)));
    expect(() => Normalize({ std: [1, 0, 1] })).toThrow(
      "Argument 'std' passed to 'Normalize' must be 3 finite numbers > 0, got [1,0,1].",
    );
    expect(() => Normalize({ mean: [0.5, 0.5] })).toThrow(
      "Argument 'mean' passed to 'Normalize' must be 3 finite numbers",
    );
  });
});

describe('HorizontalFlip', () => {
  it('mirrors with p = 1, keeps with p = 0, one value per draw', async () => {
    expect((await HorizontalFlip({ p: 1 }).apply(image, new Rng(0))).data).toEqual(
      flipHorizontal(image).data,
    );
    expect(await HorizontalFlip({ p: 0 }).apply(image, new Rng(0))).toBe(image);
    const rng = new Rng(4);
    const t = HorizontalFlip();
    let flips = 0;
    for (let i = 0; i < 1000; i++) if (t.draw(rng).flipped) flips++;
    expect(rng.state).toBe(stateAfter(4, 1000));
    expect(Math.abs(flips - 500)).toBeLessThan(4 * Math.sqrt(250));
  });
});

describe('Compose', () => {
  it('applies members in order and replays one draw on several images', async () => {
    const pipeline = Compose([
      Resize({ size: 12 }),
      HorizontalFlip({ p: 0.5 }),
      RandomJpeg({ p: 1 }),
      Normalize(),
    ]);
    const rng = new Rng(21);
    const params = pipeline.draw(rng);
    expect(rng.state).toBe(stateAfter(21, 3)); // flip 1 + RandomJpeg 2
    const [, flip, jpeg] = params as [undefined, { flipped: boolean }, { quality: number }];
    let manual = await resizeImage(image, { width: 12, height: 12 });
    if (flip.flipped) manual = flipHorizontal(manual);
    manual = await jpegRoundTrip(manual, jpeg.quality);
    const expected = await Normalize().applyParams(manual, undefined);
    const out: FloatImage = await pipeline.applyParams(image, params);
    expect(out.data).toEqual(expected.data);
    // apply(image, rng) draws exactly what draw(rng) draws.
    expect((await pipeline.apply(image, new Rng(21))).data).toEqual(out.data);
  });

  it('an empty Compose is the identity; Normalize must come last', async () => {
    expect(await Compose([]).apply(image, new Rng(0))).toBe(image);
    expect(() => Compose([Normalize(), Resize({ size: 4 })] as never)).toThrow(
      "'Compose': Normalize (member 0) must be the last transform",
    );
  });

  it('configs are serialisable and rebuild the same pipeline', async () => {
    const pipeline = Compose([
      RandomJpeg({ min: 30, max: 50, p: 0.7 }),
      HorizontalFlip(),
      Resize({ width: 9, height: 7 }),
    ]);
    const config = JSON.parse(JSON.stringify(pipeline.config));
    expect(config).toEqual({
      name: 'Compose',
      transforms: [
        { name: 'RandomJpeg', min: 30, max: 50, p: 0.7, chromaSubsampling: '4:2:0' },
        { name: 'HorizontalFlip', p: 0.5 },
        { name: 'Resize', width: 9, height: 7, kernel: 'linear' },
      ],
    });
    const rebuilt = transformFromConfig(config);
    for (const seed of [1, 2, 3]) {
      const a = await pipeline.apply(image, new Rng(seed));
      const b = (await rebuilt.apply(image, new Rng(seed))) as RgbImage;
      expect(b.data).toEqual(a.data);
    }
    expect(() => transformFromConfig({ name: 'Blur' } as never)).toThrow(
      '\'transformFromConfig\': unknown transform "Blur".',
    );
    const solid = solidImage(4, 4, [1, 2, 3]);
    expect(await transformFromConfig({ name: 'Compose', transforms: [] }).apply(solid, new Rng(0))).toBe(
      solid,
    );
  });
});
