import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Split } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import { decodeFrames, probeVideo, savePng } from '@qad/data-jpeg-aug';
import { loadFaceForensics, precomputedBoxes } from '@qad/data-prep';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRoot } from '../../data-prep/test/datasets_fixtures';
import { type BenchmarkProgress, type BenchmarkResult, makeBenchmark, readBenchmarkBoxes } from '../src';

const PAIRS = { train: 2, val: 1, test: 1 };
const FRAMES = 8;
const SIZE = 64;

async function decodeAll(path: string): Promise<RgbImage[]> {
  const out: RgbImage[] = [];
  for await (const f of decodeFrames(path)) out.push(f.image);
  return out;
}

describe('makeBenchmark', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => {};
  let result: BenchmarkResult;
  const progress: BenchmarkProgress[] = [];

  beforeAll(async () => {
    ({ root, cleanup } = await tempRoot('bench'));
    result = await makeBenchmark({
      outDir: join(root, 'a'),
      size: PAIRS,
      frames: FRAMES,
      resolution: SIZE,
      seed: 3,
      onProgress: (p) => progress.push(p),
    });
  });
  afterAll(() => cleanup());

  it('writes an FF++ layout that loadFaceForensics reads back with the right counts', async () => {
    const ids = 2 * (PAIRS.train + PAIRS.val + PAIRS.test);
    expect(result.files).toBe(ids * 3 * 3);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: result.files }, (_, i) => i + 1));
    expect(new Set(progress.map((p) => p.file)).size).toBe(result.files);
    const usedIds: string[] = [];
    for (const split of ['train', 'val', 'test'] as Split[]) {
      const pairs = JSON.parse(await readFile(join(result.outDir, 'splits', `${split}.json`), 'utf8'));
      expect(pairs).toHaveLength(PAIRS[split]);
      usedIds.push(...pairs.flat());
    }
    expect(usedIds.sort()).toEqual(Array.from({ length: ids }, (_, i) => String(i).padStart(3, '0')));

    const ds = await loadFaceForensics(result.outDir);
    for (const split of ['train', 'val', 'test'] as Split[]) {
      const recs = ds.splits[split];
      expect(recs.filter((r) => r.label === 0)).toHaveLength(2 * PAIRS[split]);
      expect(recs.filter((r) => r.method === 'SelfBlend')).toHaveLength(2 * PAIRS[split]);
      expect(recs.filter((r) => r.method === 'FaceSwap')).toHaveLength(2 * PAIRS[split]);
    }
  });

  it('writes videos with every frame, c40 smaller than c23 smaller than raw, and a box per frame', async () => {
    const ds = await loadFaceForensics(result.outDir);
    const boxes = await readBenchmarkBoxes(result.outDir);
    expect(Object.keys(boxes)).toHaveLength(result.files);
    for (const r of Object.values(ds.splits).flat()) {
      const sizes: number[] = [];
      for (const q of ['raw', 'c23', 'c40']) {
        const info = await probeVideo(r.paths[q]!);
        expect([info.frameCount, info.width, info.height]).toEqual([FRAMES, SIZE, SIZE]);
        sizes.push((await stat(r.paths[q]!)).size);
        const key = r.paths[q]!.slice(result.outDir.length + 1);
        expect(boxes[key]).toHaveLength(FRAMES);
        expect(boxes[key]).toEqual(boxes[key.replace(`/${q}/`, '/raw/')]);
      }
      expect(sizes[2]).toBeLessThan(sizes[1]!);
      expect(sizes[1]).toBeLessThan(sizes[0]!);
    }
  });

  it('writes boxes.json in the format the face-crop stage reads (precomputedBoxes)', async () => {
    const ds = await loadFaceForensics(result.outDir);
    const boxes = await readBenchmarkBoxes(result.outDir);
    const source = precomputedBoxes({ file: result.boxesPath });
    const blank = { data: new Uint8Array(SIZE * SIZE * 3), width: SIZE, height: SIZE };
    for (const r of [ds.splits.train[0]!, ds.splits.test.at(-1)!]) {
      const key = r.paths.raw!.slice(result.outDir.length + 1);
      for (const t of [0, FRAMES - 1]) {
        expect(await source.boxesFor(r, r.paths.raw!, t, blank)).toEqual([boxes[key]![t]]);
      }
    }
  });

  it('makes fakes that differ from their original only inside the face box', async () => {
    const boxes = await readBenchmarkBoxes(result.outDir);
    const [a, b] = result.pairs.train[0]!;
    const original = await decodeAll(join(result.outDir, `original_sequences/youtube/raw/videos/${a}.mp4`));
    for (const method of ['SelfBlend', 'FaceSwap']) {
      const rel = `manipulated_sequences/${method}/raw/videos/${a}_${b}.mp4`;
      const fake = await decodeAll(join(result.outDir, rel));
      let inner = 0;
      let innerN = 0;
      let outer = 0;
      let outerN = 0;
      for (let t = 0; t < FRAMES; t++) {
        const box = boxes[rel]![t]!;
        const cx = box.x + box.width / 2;
        const cy = box.y + box.height / 2;
        for (let p = 0; p < SIZE * SIZE; p++) {
          // Normalised distance from the box centre: < 0.3 = the middle of the face, > 0.8 = well outside it.
          const dx = Math.abs((p % SIZE) + 0.5 - cx) / box.width;
          const dy = Math.abs(Math.floor(p / SIZE) + 0.5 - cy) / box.height;
          const d = Math.max(dx, dy);
          let diff = 0;
          for (let c = 0; c < 3; c++)
            diff += Math.abs(fake[t]!.data[p * 3 + c]! - original[t]!.data[p * 3 + c]!);
          if (d < 0.3) {
            inner += diff / 3;
            innerN++;
          } else if (d > 0.8) {
            outer += diff / 3;
            outerN++;
          }
        }
      }
      expect(outerN).toBeGreaterThan(0);
      expect(outer / outerN).toBeLessThan(0.05);
      expect(inner / innerN).toBeGreaterThan(2);
    }
  });

  it('is deterministic: the same seed gives byte-identical raw videos; strength 0 fakes equal their originals', async () => {
    const again = await makeBenchmark({
      outDir: join(root, 'b'),
      size: PAIRS,
      frames: FRAMES,
      resolution: SIZE,
      seed: 3,
      qualities: { raw: 0 },
      strength: { SelfBlend: 0, FaceSwap: 1 },
    });
    expect(again.pairs).toEqual(result.pairs);
    const raw = (dir: string, parts: string) => readFile(join(dir, parts));
    for (const [x, y] of Object.values(result.pairs).flat()) {
      for (const rel of [
        `original_sequences/youtube/raw/videos/${x}.mp4`,
        `manipulated_sequences/FaceSwap/raw/videos/${x}_${y}.mp4`,
      ]) {
        expect((await raw(again.outDir, rel)).equals(await raw(result.outDir, rel))).toBe(true);
      }
      const same = await raw(again.outDir, `manipulated_sequences/SelfBlend/raw/videos/${x}_${y}.mp4`);
      expect(same.equals(await raw(again.outDir, `original_sequences/youtube/raw/videos/${x}.mp4`))).toBe(
        true,
      );
    }
    expect(await readdir(join(again.outDir, 'original_sequences/youtube'))).toEqual(['raw']);
  });

  it('uses user images as backgrounds, keeping the synthetic face and its boxes', async () => {
    // A two-colour source: left half one colour, right half another, so the crop and pan are visible.
    const sw = 100;
    const sh = 80;
    const data = new Uint8Array(sw * sh * 3);
    for (let p = 0; p < sw * sh; p++) data.set(p % sw < sw / 2 ? [40, 160, 90] : [200, 60, 30], p * 3);
    const source = join(root, 'bg.png');
    await savePng(source, { data, width: sw, height: sh });
    const out = await makeBenchmark({
      outDir: join(root, 'd'),
      size: { train: 1, val: 0, test: 0 },
      frames: 4,
      resolution: SIZE,
      sources: [source],
      methods: ['SelfBlend'],
      qualities: { raw: 0 },
    });
    const [a] = out.pairs.train[0]!;
    const frames = await decodeAll(join(out.outDir, `original_sequences/youtube/raw/videos/${a}.mp4`));
    expect(frames).toHaveLength(4);
    // Corners far from the face show the source's colours (lossless up to 4:2:0 rounding).
    const at = (img: RgbImage, x: number, y: number) => [
      ...img.data.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3),
    ];
    for (const f of frames) {
      for (const [got, want] of [
        [at(f, 1, 1), [40, 160, 90]],
        [at(f, SIZE - 2, SIZE - 2), [200, 60, 30]],
      ] as const) {
        for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - want[c]!)).toBeLessThanOrEqual(3);
      }
    }
    const boxes = await readBenchmarkBoxes(out.boxesPath);
    expect(boxes[`original_sequences/youtube/raw/videos/${a}.mp4`]).toHaveLength(4);
  });

  it('rejects bad options and an existing benchmark with clear messages', async () => {
    const outDir = join(root, 'c');
    await expect(makeBenchmark({ outDir, size: 'tiny' as 'small' })).rejects.toThrow(
      `makeBenchmark: option 'size' must be 'small', 'medium', 'large' or { train, val, test }, but got 'tiny'.`,
    );
    await expect(makeBenchmark({ outDir, resolution: 95 })).rejects.toThrow(
      `makeBenchmark: option 'resolution' must give an even width ≥ 32, but got 95.`,
    );
    await expect(makeBenchmark({ outDir, methods: ['Deepfakes' as 'SelfBlend'] })).rejects.toThrow(
      `makeBenchmark: option 'methods' may hold only 'SelfBlend' and 'FaceSwap', but got 'Deepfakes'.`,
    );
    await expect(makeBenchmark({ outDir, strength: { FaceSwap: 3 } })).rejects.toThrow(
      `makeBenchmark: option 'strength' must be in [0, 2], but got 3 for FaceSwap.`,
    );
    await expect(makeBenchmark({ outDir, size: { train: 0, val: 0, test: 0 } })).rejects.toThrow(
      `makeBenchmark: option 'size' must ask for at least one pair.`,
    );
    await expect(makeBenchmark({ outDir: result.outDir })).rejects.toThrow(
      `makeBenchmark: ${result.outDir} already holds a benchmark (original_sequences, manipulated_sequences, ` +
        `splits, boxes.json, benchmark.json); pass overwrite: true to replace it.`,
    );
  });
});
