import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RgbImage } from '@qad/data-jpeg-aug';
import { decodeFrames, decodeImage, psnr } from '@qad/data-jpeg-aug';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BoxSource, precomputedBoxes } from '../src/faces/box_source';
import { type CropManifest, manifestToPairedSplit, readCropManifest } from '../src/faces/crop_manifest';
import { extractFaceCrops } from '../src/faces/extract_face_crops';
import type { ExtractProgress } from '../src/faces/progress_line';
import type { VideoRecord } from '../src/video_record';
import { discBox, discCentre, makeFaceDataset, redDiscDetector, windowOf } from './faces_fixtures';

// 12 frames, 4 sampled: frames 0, 3, 7, 11 (⌊i·11/3⌋). The 20×20 disc box squares to 26 px (round(20·1.3)), so
// with cropSize 26 every crop is an unresampled window of its frame and alignment can be checked to the pixel.
const SAMPLED = [0, 3, 7, 11];
const CROP = 26;
let root: string;
let videos: VideoRecord[];
let boxesFile: string;
const base = () => ({ framesPerVideo: 4, cropSize: CROP, progressBar: false });

async function decodeAt(path: string, indices: number[]): Promise<Map<number, RgbImage>> {
  const out = new Map<number, RgbImage>();
  for await (const { index, image } of decodeFrames(path, { indices })) out.set(index, image);
  return out;
}

function spy(source: BoxSource): BoxSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    boxesFor: (video, path, index, image) => {
      calls.push(`${video.id}#${index}`);
      return source.boxesFor(video, path, index, image);
    },
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qad-faces-'));
  videos = await makeFaceDataset(join(root, 'data'), [
    { name: 'a', id: 'original/a', label: 0, split: 'train', hasFace: () => true },
    { name: 'b', id: 'original/b', label: 0, split: 'train', hasFace: () => false },
    { name: 'c', id: 'fake/c', label: 1, split: 'test', hasFace: (t) => t !== 3 },
  ]);
  boxesFile = join(root, 'data', 'boxes.json');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('extractFaceCrops with precomputed (ground-truth) boxes', () => {
  let out: string;
  let manifest: CropManifest;
  const progress: ExtractProgress[] = [];

  beforeAll(async () => {
    out = join(root, 'out-main');
    const result = await extractFaceCrops({
      ...base(),
      videos,
      outDir: out,
      boxSource: precomputedBoxes({ file: boxesFile }),
      onProgress: (p) => progress.push(p),
    });
    manifest = result.manifest;
    expect(result).toMatchObject({
      videosProcessed: 3,
      videosResumed: 0,
      videosFailed: 0,
      framesCropped: 4 + 0 + 3,
      framesSkipped: 0 + 4 + 1,
    });
  });

  it('records every video with hand-computed squares, skips faceless frames, and counts them', () => {
    expect(manifest.settings).toEqual({
      framesPerVideo: 4,
      cropSize: CROP,
      scale: 1.3,
      clip: 'shift',
      qualities: ['raw', 'c23', 'c40'],
    });
    const a = manifest.videos['original/a']!;
    expect(a).toMatchObject({
      label: 0,
      split: 'train',
      method: 'original',
      dir: 'crops/original/a',
      frameCount: 12,
    });
    expect(a.frames).toEqual(SAMPLED);
    expect(a.skipped).toEqual([]);
    // centre (20 + 2t, 32), side 26 → corner (20 + 2t − 13, 32 − 13)
    expect(a.regions).toEqual(SAMPLED.map((t) => [7 + 2 * t, 19, 26]));
    expect(manifest.videos['original/b']).toMatchObject({ frames: [], skipped: SAMPLED, regions: [] });
    expect(manifest.videos['fake/c']).toMatchObject({ frames: [0, 7, 11], skipped: [3] });
    expect(manifest.failures).toEqual({});
  });

  it('crops of raw, c23 and c40 are the same window of the same frame (pixel-aligned across qualities)', async () => {
    const a = manifest.videos['original/a']!;
    for (const quality of ['raw', 'c23', 'c40'] as const) {
      const frames = await decodeAt(videos[0]!.paths[quality]!, SAMPLED);
      for (const [k, t] of SAMPLED.entries()) {
        const crop = await decodeImage(join(out, a.dir, quality, `${String(t).padStart(6, '0')}.png`));
        const [x, y, size] = a.regions[k]!;
        expect([crop.width, crop.height]).toEqual([CROP, CROP]);
        // PNG is lossless: the crop is byte-for-byte the window of that quality's decoded frame
        expect(crop.data).toEqual(windowOf(frames.get(t)!, x, y, size).data);
        // and the disc is centred in it: red at the centre, background in the corners
        const px = (cx: number, cy: number) => [
          ...crop.data.subarray((cy * CROP + cx) * 3, (cy * CROP + cx) * 3 + 3),
        ];
        expect(px(13, 13)[0]).toBeGreaterThan(170);
        expect(px(13, 13)[1]).toBeLessThan(110);
        for (const [cx, cy] of [
          [0, 0],
          [25, 0],
          [0, 25],
          [25, 25],
        ] as const)
          expect(px(cx, cy)[0]).toBeLessThan(170);
      }
    }
  });

  it('a compressed crop matches its raw crop better than a one-pixel-shifted window does', async () => {
    const a = manifest.videos['original/a']!;
    const c23 = await decodeAt(videos[0]!.paths.c23!, [7]);
    const raw = await decodeImage(join(out, a.dir, 'raw', '000007.png'));
    const compressed = await decodeImage(join(out, a.dir, 'c23', '000007.png'));
    const [x, y, size] = a.regions[2]!;
    const aligned = psnr(raw, compressed);
    expect(aligned).toBeGreaterThan(25);
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ]) {
      expect(psnr(raw, windowOf(c23.get(7)!, x + dx!, y + dy!, size))).toBeLessThan(aligned - 3);
    }
    const c40 = await decodeImage(join(out, a.dir, 'c40', '000007.png'));
    expect(psnr(raw, c40)).toBeLessThan(aligned); // c40 loses more than c23
  });

  it('a video with no face gets an entry with empty crop folders, not an error', async () => {
    const b = manifest.videos['original/b']!;
    for (const q of ['raw', 'c23', 'c40']) expect(await readdir(join(out, b.dir, q))).toEqual([]);
  });

  it('manifestToPairedSplit lists the same frame at every quality, with labels and video ids', async () => {
    const train = manifestToPairedSplit(manifest, 'train', out);
    expect(train.labels).toEqual([0, 0, 0, 0]);
    expect(train.videos).toEqual(Array(4).fill('original/a'));
    expect(train.frames.raw).toEqual(
      SAMPLED.map((t) => join(out, 'crops/original/a/raw', `${String(t).padStart(6, '0')}.png`)),
    );
    const test = manifestToPairedSplit(manifest, 'test', out);
    expect(test.labels).toEqual([1, 1, 1]);
    for (const q of ['c23', 'c40']) {
      expect(test.frames[q]).toEqual(test.frames.raw!.map((p) => p.replace('/raw/', `/${q}/`)));
      for (const p of test.frames[q]!) expect((await stat(p)).isFile()).toBe(true);
    }
    expect(manifestToPairedSplit(manifest, 'val', out)).toEqual({
      frames: { raw: [], c23: [], c40: [] },
      labels: [],
      videos: [],
    });
  });

  it('reports progress after frames and videos, ending with all videos done', () => {
    const last = progress.at(-1)!;
    expect(last).toMatchObject({
      videosDone: 3,
      videosTotal: 3,
      videosFailed: 0,
      framesCropped: 7,
      framesSkipped: 5,
      currentVideo: undefined,
      etaMs: 0,
    });
    // one report per sampled frame (12) + one per video (3) + the final one
    expect(progress).toHaveLength(12 + 3 + 1);
    const done = progress.map((p) => p.videosDone);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    expect(progress[0]!.etaMs).toBeUndefined();
  });

  it('a second run does no work: nothing is detected or decoded and the manifest is not rewritten', async () => {
    const before = await stat(join(out, 'manifest.json'));
    const text = await readFile(join(out, 'manifest.json'), 'utf8');
    const source = spy(precomputedBoxes({ file: boxesFile }));
    const again = await extractFaceCrops({ ...base(), videos, outDir: out, boxSource: source });
    expect(again).toMatchObject({
      videosProcessed: 0,
      videosResumed: 3,
      videosFailed: 0,
      framesCropped: 0,
      framesSkipped: 0,
    });
    expect(source.calls).toEqual([]);
    const after = await stat(join(out, 'manifest.json'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(await readFile(join(out, 'manifest.json'), 'utf8')).toBe(text);
    expect(await readCropManifest(out)).toEqual(manifest);
  });

  it('refuses to resume with other settings', async () => {
    await expect(
      extractFaceCrops({
        ...base(),
        cropSize: 32,
        videos,
        outDir: out,
        boxSource: precomputedBoxes({ file: boxesFile }),
      }),
    ).rejects.toThrow(
      `extractFaceCrops: '${join(out, 'manifest.json')}' was made with other settings (cropSize 26 → 32)`,
    );
  });
});

describe('extractFaceCrops crash safety and resumption', () => {
  it('a crash in the middle of a video leaves no entry, no crops and no partial folder; the next run finishes it', async () => {
    const out = join(root, 'out-crash');
    const good = precomputedBoxes({ file: boxesFile });
    const crashing: BoxSource = {
      boxesFor: async (video, path, index, image) => {
        if (video.id === 'fake/c' && index === 7) throw new Error('power cut');
        return good.boxesFor(video, path, index, image);
      },
    };
    await expect(
      extractFaceCrops({ ...base(), videos, outDir: out, boxSource: crashing, onVideoError: 'throw' }),
    ).rejects.toThrow('power cut');
    const manifest = (await readCropManifest(out))!;
    expect(Object.keys(manifest.videos).sort()).toEqual(['original/a', 'original/b']);
    expect(await readdir(join(out, 'crops'))).toEqual(['original']);
    expect(await readdir(out)).not.toContain('.partial');

    const source = spy(good);
    const rerun = await extractFaceCrops({ ...base(), videos, outDir: out, boxSource: source });
    expect(rerun).toMatchObject({ videosProcessed: 1, videosResumed: 2, framesCropped: 3, framesSkipped: 1 });
    expect(source.calls).toEqual(['fake/c#0', 'fake/c#3', 'fake/c#7', 'fake/c#11']);
    expect(Object.keys(rerun.manifest.videos).sort()).toEqual(['fake/c', 'original/a', 'original/b']);
    expect(await readdir(join(out, 'crops', 'fake', 'c', 'raw'))).toEqual([
      '000000.png',
      '000007.png',
      '000011.png',
    ]);
    expect(await readdir(out)).toEqual(expect.arrayContaining(['crops', 'manifest.json']));
    expect((await readdir(out)).filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it("with onVideoError 'record' a failing video is listed under failures, its frames are not counted, and it is retried", async () => {
    const out = join(root, 'out-record');
    const good = precomputedBoxes({ file: boxesFile });
    const flaky: BoxSource = {
      boxesFor: async (video, path, index, image) => {
        if (video.id === 'original/a' && index === 3) throw new Error('detector crashed');
        return good.boxesFor(video, path, index, image);
      },
    };
    const first = await extractFaceCrops({ ...base(), videos, outDir: out, boxSource: flaky });
    expect(first).toMatchObject({ videosProcessed: 2, videosFailed: 1, framesCropped: 3, framesSkipped: 5 });
    expect(first.manifest.failures).toEqual({ 'original/a': 'detector crashed' });
    expect(first.manifest.videos['original/a']).toBeUndefined();
    const second = await extractFaceCrops({ ...base(), videos, outDir: out, boxSource: good });
    expect(second).toMatchObject({ videosProcessed: 1, videosResumed: 2, videosFailed: 0 });
    expect(second.manifest.failures).toEqual({});
  });

  it('rewrites the manifest by rename after every video, each version complete', async () => {
    const out = join(root, 'out-atomic');
    const seen: number[] = [];
    // Each version stays open: a file rewritten in place would show its last content through every
    // descriptor, one renamed over keeps each old version readable through its own (and, held open, its
    // inode cannot be reused by the next temporary file, which made an inode comparison flaky).
    const held: number[] = [];
    let lastDone = 0;
    try {
      await extractFaceCrops({
        ...base(),
        videos,
        outDir: out,
        boxSource: precomputedBoxes({ file: boxesFile }),
        onProgress: (p) => {
          if (p.videosDone === lastDone) return;
          lastDone = p.videosDone;
          const path = join(out, 'manifest.json');
          seen.push(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as CropManifest).videos).length);
          held.push(openSync(path, 'r'));
        },
      });
      expect(seen).toEqual([1, 2, 3]);
      const versions = held.map((fd) => {
        const text = readFileSync(fd, 'utf8');
        return Object.keys((JSON.parse(text) as CropManifest).videos).length;
      });
      expect(versions).toEqual([1, 2, 3]);
    } finally {
      for (const fd of held) closeSync(fd);
    }
    expect((await readdir(out)).sort()).toEqual(['crops', 'manifest.json']); // no temporary files left
  });

  it('replaces a stale crop folder left by a run that died between its rename and the manifest update', async () => {
    const out = join(root, 'out-stale');
    await mkdir(join(out, 'crops', 'fake', 'c', 'raw'), { recursive: true });
    await writeFile(join(out, 'crops', 'fake', 'c', 'raw', 'stale.png'), 'junk');
    await extractFaceCrops({
      ...base(),
      videos,
      outDir: out,
      boxSource: precomputedBoxes({ file: boxesFile }),
    });
    expect(await readdir(join(out, 'crops', 'fake', 'c', 'raw'))).toEqual([
      '000000.png',
      '000007.png',
      '000011.png',
    ]);
  });
});

describe('extractFaceCrops with a detector', () => {
  it('detects on raw frames only and reuses the boxes for c23/c40', async () => {
    const out = join(root, 'out-detector');
    const detector = redDiscDetector();
    const result = await extractFaceCrops({ ...base(), videos, outDir: out, detector });
    expect(detector.calls).toHaveLength(3 * 4); // 4 sampled raw frames per video, none of c23/c40
    expect(result).toMatchObject({ videosProcessed: 3, framesCropped: 7, framesSkipped: 5 });
    const a = result.manifest.videos['original/a']!;
    // The detector finds the disc within a pixel of the truth (chroma subsampling blurs its edge).
    for (const [k, t] of SAMPLED.entries()) {
      const [x, y, size] = a.regions[k]!;
      const [cx, cy] = discCentre(t);
      expect(Math.abs(x + size / 2 - cx)).toBeLessThanOrEqual(1);
      expect(Math.abs(y + size / 2 - cy)).toBeLessThanOrEqual(1);
      expect(Math.abs(size - Math.round(discBox(t).width * 1.3))).toBeLessThanOrEqual(3);
    }
    for (const q of ['raw', 'c23', 'c40']) {
      const crop = await decodeImage(join(out, a.dir, q, '000003.png'));
      expect([crop.width, crop.height]).toEqual([CROP, CROP]); // resized to cropSize whatever the square
    }
  });
});

describe('extractFaceCrops bad inputs', () => {
  it('records videos whose qualities do not align or are missing, and keeps going', async () => {
    const data = join(root, 'data-bad');
    const [short] = await makeFaceDataset(data, [
      { name: 'short', id: 'original/short', label: 0, split: 'train', hasFace: () => true, c23Frames: 10 },
    ]);
    const missing: VideoRecord = {
      ...videos[0]!,
      id: 'original/missing',
      paths: { raw: videos[0]!.paths.raw } as never,
    };
    const out = join(root, 'out-bad');
    const result = await extractFaceCrops({
      ...base(),
      videos: [short!, missing, videos[0]!],
      outDir: out,
      boxSource: precomputedBoxes({
        boxes: {
          'original/short': Array(12).fill(discBox(0)),
          'original/missing': [],
          'original/a': Array(12).fill(discBox(0)),
        },
      }),
    });
    expect(result).toMatchObject({ videosProcessed: 1, videosFailed: 2 });
    expect(result.manifest.failures['original/short']).toBe(
      "extractFaceCrops: video 'original/short': 'c23' file has 10 frames of 64×64 but 'raw' has 12 of 64×64; the crops could not align",
    );
    expect(result.manifest.failures['original/missing']).toBe(
      "extractFaceCrops: video 'original/missing' has no 'c23' file",
    );
    expect(await readdir(join(out, 'crops', 'original'))).toEqual(['a']);
  });

  it('precomputedBoxes names the file, the video and the frame in its errors', async () => {
    const video = videos[0]!;
    const image = { data: new Uint8Array(3), width: 1, height: 1 };
    const missingFile = join(root, 'nope.json');
    await expect(
      precomputedBoxes({ file: missingFile }).boxesFor(video, video.paths.raw!, 0, image),
    ).rejects.toThrow(`precomputedBoxes: cannot read box sidecar '${missingFile}'`);
    await expect(precomputedBoxes({ boxes: {} }).boxesFor(video, video.paths.raw!, 0, image)).rejects.toThrow(
      "precomputedBoxes: '<in-memory boxes>' has no boxes for video 'original/a'",
    );
    const bad = precomputedBoxes({ boxes: { 'original/a': [{ x: 0, y: 0, width: -1, height: 5 }] } });
    await expect(bad.boxesFor(video, video.paths.raw!, 0, image)).rejects.toThrow(
      "precomputedBoxes: '<in-memory boxes>' entry 'original/a' frame 0: box 0 must be {x, y, width, height[, score]} with positive size",
    );
    const several = precomputedBoxes({
      boxes: { 'original/a': [[discBox(0), { x: 1, y: 2, width: 3, height: 4 }], null] },
    });
    expect(await several.boxesFor(video, video.paths.raw!, 0, image)).toEqual([
      discBox(0),
      { x: 1, y: 2, width: 3, height: 4, score: 1 },
    ]);
    expect(await several.boxesFor(video, video.paths.raw!, 1, image)).toEqual([]);
    expect(await several.boxesFor(video, video.paths.raw!, 5, image)).toEqual([]);
    expect(() => precomputedBoxes({})).toThrow("precomputedBoxes: give exactly one of 'file' and 'boxes'");
  });

  it('rejects bad options before doing anything', async () => {
    const out = join(root, 'out-options');
    const boxSource = precomputedBoxes({ file: boxesFile });
    await expect(extractFaceCrops({ videos, outDir: out })).rejects.toThrow(
      "give exactly one of 'detector' and 'boxSource'",
    );
    await expect(extractFaceCrops({ videos, outDir: out, boxSource, framesPerVideo: 0 })).rejects.toThrow(
      'framesPerVideo must be a positive integer, got 0',
    );
    await expect(
      extractFaceCrops({ videos: [videos[0]!, videos[0]!], outDir: out, boxSource }),
    ).rejects.toThrow("video id 'original/a' appears twice");
    await expect(stat(out)).rejects.toThrow('ENOENT');
  });
});
