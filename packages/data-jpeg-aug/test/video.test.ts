import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { psnr } from '../src/image/psnr';
import type { RgbImage } from '../src/types';
import { decodeFrames } from '../src/video/decode_frames';
import { encodeVideo, transcodeVideo } from '../src/video/encode_video';
import { probeVideo } from '../src/video/probe_video';
import { sampleFrameIndices } from '../src/video/sample_frames';
import { maxAbsDiff, meanPsnr, syntheticFrames, yuv420RoundTrip } from './video_fixtures';

const FRAMES = 30;
let dir: string;
let source: RgbImage[];
const decoded: Record<string, RgbImage[]> = {};

async function decodeAll(path: string): Promise<RgbImage[]> {
  const out: RgbImage[] = [];
  let expected = 0;
  for await (const { index, image } of decodeFrames(path)) {
    expect(index).toBe(expected++);
    out.push(image);
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qad-video-'));
  source = [...syntheticFrames(FRAMES)];
  for (const crf of [0, 23, 40]) {
    const path = join(dir, `crf${crf}.mp4`);
    await encodeVideo(source, path, { crf });
    decoded[crf] = await decodeAll(path);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('encodeVideo + probeVideo + decodeFrames', () => {
  it('round-trips the frame count, size and frame rate at CRF 0, 23 and 40', async () => {
    for (const crf of [0, 23, 40]) {
      const info = await probeVideo(join(dir, `crf${crf}.mp4`));
      expect(info).toEqual({ frameCount: FRAMES, width: 64, height: 64, fps: 30 });
      expect(decoded[crf]).toHaveLength(FRAMES);
      for (const image of decoded[crf]!)
        expect([image.width, image.height, image.data.length]).toEqual([64, 64, 64 * 64 * 3]);
    }
  });

  it('writes the requested frame rate', async () => {
    const path = join(dir, 'fps25.mp4');
    await encodeVideo(source.slice(0, 5), path, { crf: 23, fps: 25 });
    expect(await probeVideo(path)).toEqual({ frameCount: 5, width: 64, height: 64, fps: 25 });
  });

  it('CRF 0 with yuv420p is exactly lossless in YUV: it decodes to the RGB→YUV420→RGB conversion of the input', async () => {
    const reference = await yuv420RoundTrip(source);
    for (let i = 0; i < FRAMES; i++) expect(maxAbsDiff(decoded[0]![i]!, reference[i]!)).toBe(0);
    // ...but not in RGB: chroma subsampling of the ±24 texture costs a lot.
    expect(meanPsnr(source, decoded[0]!, psnr)).toBeLessThan(40);
  });

  it('CRF 0 with yuv444p is lossless up to the 8-bit RGB↔YUV rounding', async () => {
    const path = join(dir, 'crf0_444.mp4');
    await encodeVideo(source, path, { crf: 0, pixelFormat: 'yuv444p' });
    const frames = await decodeAll(path);
    for (let i = 0; i < FRAMES; i++) expect(maxAbsDiff(frames[i]!, source[i]!)).toBeLessThanOrEqual(3);
    expect(meanPsnr(source, frames, psnr)).toBeGreaterThan(45);
  });

  it('compresses harder at higher CRF: smaller files and lower PSNR against raw', async () => {
    const size = async (crf: number) => (await stat(join(dir, `crf${crf}.mp4`))).size;
    expect(await size(40)).toBeLessThan(await size(23));
    expect(await size(23)).toBeLessThan(await size(0));
    const p23 = meanPsnr(decoded[0]!, decoded[23]!, psnr);
    const p40 = meanPsnr(decoded[0]!, decoded[40]!, psnr);
    expect(p40).toBeLessThan(p23 - 3);
    expect(p40).toBeGreaterThan(15); // still the same picture, not garbage
  });

  it('transcodeVideo makes c23/c40 from raw with the same frames, as FF++ did', async () => {
    const raw = join(dir, 'crf0.mp4');
    for (const crf of [23, 40]) await transcodeVideo(raw, join(dir, `t${crf}.mp4`), { crf });
    const t23 = await decodeAll(join(dir, 't23.mp4'));
    const t40 = await decodeAll(join(dir, 't40.mp4'));
    expect(t23).toHaveLength(FRAMES);
    expect(t40).toHaveLength(FRAMES);
    expect((await stat(join(dir, 't40.mp4'))).size).toBeLessThan((await stat(join(dir, 't23.mp4'))).size);
    expect(meanPsnr(decoded[0]!, t40, psnr)).toBeLessThan(meanPsnr(decoded[0]!, t23, psnr));
    // Frame i of the transcode is frame i of raw (no shift): it matches raw's frame i better than i ± 1.
    for (const i of [1, 15, 28]) {
      expect(psnr(decoded[0]![i]!, t23[i]!)).toBeGreaterThan(psnr(decoded[0]![i + 1]!, t23[i]!));
      expect(psnr(decoded[0]![i]!, t23[i]!)).toBeGreaterThan(psnr(decoded[0]![i - 1]!, t23[i]!));
    }
  });

  it("handles file names with ':', spaces and dashes", async () => {
    const path = join(dir, 'concat: odd -name.mp4');
    await encodeVideo(source.slice(0, 4), path, { crf: 23 });
    const copy = join(dir, 'http: copy.mp4');
    await transcodeVideo(path, copy, { crf: 40 });
    expect((await probeVideo(copy)).frameCount).toBe(4);
    expect(await decodeAll(copy)).toHaveLength(4);
  });

  it('streams larger clips through the pipe with backpressure and leaves only the output file', async () => {
    const sub = join(dir, 'big');
    const path = join(sub, 'clip.mp4');
    // 128×128×3×40 ≈ 2 MB, far more than a pipe buffer (64 KiB): writes must wait for 'drain'.
    await encodeVideo(syntheticFrames(40, 128, 128), path, { crf: 23, preset: 'ultrafast' });
    expect(await probeVideo(path)).toMatchObject({ frameCount: 40, width: 128, height: 128 });
    expect(await readdir(sub)).toEqual(['clip.mp4']);
  });

  it('writes through a temporary file: the output name appears only when the video is complete', async () => {
    const sub = join(dir, 'atomic');
    const path = join(sub, 'out.mp4');
    const seen: string[][] = [];
    async function* frames() {
      for (const [k, f] of source.slice(0, 10).entries()) {
        if (k === 8) {
          // ffmpeg opens its output once the encoder is set up; wait until it has, then look.
          for (let tries = 0; tries < 200 && (await readdir(sub)).length === 0; tries++) await sleep(10);
          seen.push(await readdir(sub));
        }
        yield f;
      }
    }
    await encodeVideo(frames(), path, { crf: 23 });
    expect(seen[0]).toHaveLength(1);
    expect(seen[0]![0]).toMatch(/^\.out\.[^/]+\.tmp\.mp4$/);
    expect(await readdir(sub)).toEqual(['out.mp4']);
  });
});

describe('decodeFrames frame selection', () => {
  it('decodes exactly the requested frames, in increasing order, identical to a full decode', async () => {
    const got: number[] = [];
    for await (const { index, image } of decodeFrames(join(dir, 'crf23.mp4'), { indices: [7, 2, 2, 29] })) {
      got.push(index);
      expect(maxAbsDiff(image, decoded[23]![index]!)).toBe(0);
    }
    expect(got).toEqual([2, 7, 29]);
  });

  it('count samples evenly: 4 of 30 frames are 0, 9, 19, 29', async () => {
    const got: number[] = [];
    for await (const { index, image } of decodeFrames(join(dir, 'crf40.mp4'), { count: 4 })) {
      got.push(index);
      expect(maxAbsDiff(image, decoded[40]![index]!)).toBe(0);
    }
    expect(got).toEqual([0, 9, 19, 29]);
  });

  it('resizes RGB with area averaging: a 2× downscale is the rounded 2×2 box mean of the full frame', async () => {
    const frames: RgbImage[] = [];
    for await (const { image } of decodeFrames(join(dir, 'crf0.mp4'), {
      indices: [3],
      size: { width: 32, height: 32 },
    })) {
      frames.push(image);
    }
    expect(frames).toHaveLength(1);
    const small = frames[0]!;
    expect([small.width, small.height, small.data.length]).toEqual([32, 32, 32 * 32 * 3]);
    const full = decoded[0]![3]!;
    let maxDiff = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          const at = (yy: number, xx: number) => full.data[(yy * 64 + xx) * 3 + c]!;
          const box =
            (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
          const diff = Math.abs(small.data[(y * 32 + x) * 3 + c]! - box);
          maxDiff = Math.max(maxDiff, diff);
        }
      }
    }
    // Within rounding of the exact 2×2 mean (picking any one of the 4 pixels of this texture would be off by
    // far more): the resize averages RGB pixels, after the YUV conversion.
    expect(maxDiff).toBeLessThanOrEqual(0.5);
  });
});

describe('sampleFrameIndices', () => {
  it('matches hand-computed floor(i·(total−1)/(n−1)) cases', () => {
    expect(sampleFrameIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(sampleFrameIndices(11, 4)).toEqual([0, 3, 6, 10]); // 0, 3.33, 6.67, 10
    expect(sampleFrameIndices(30, 4)).toEqual([0, 9, 19, 29]); // 0, 9.67, 19.33, 29
    expect(sampleFrameIndices(5, 2)).toEqual([0, 4]);
    expect(sampleFrameIndices(5, 1)).toEqual([0]);
  });

  it('returns every frame once when n ≥ total, and nothing for an empty video', () => {
    expect(sampleFrameIndices(3, 32)).toEqual([0, 1, 2]);
    expect(sampleFrameIndices(32, 32)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(sampleFrameIndices(0, 32)).toEqual([]);
  });

  it('gives 32 strictly increasing indices spanning a 300-frame video with gaps of 9 or 10', () => {
    const idx = sampleFrameIndices(300);
    expect(idx).toHaveLength(32);
    expect(idx[0]).toBe(0);
    expect(idx[31]).toBe(299);
    for (let i = 1; i < 32; i++) expect([9, 10]).toContain(idx[i]! - idx[i - 1]!); // 299/31 ≈ 9.65
  });

  it('rejects bad arguments', () => {
    expect(() => sampleFrameIndices(-1)).toThrow(
      'sampleFrameIndices: total must be a non-negative integer, got -1',
    );
    expect(() => sampleFrameIndices(10, 0)).toThrow(
      'sampleFrameIndices: n must be a positive integer, got 0',
    );
    expect(() => sampleFrameIndices(10.5, 2)).toThrow('total must be a non-negative integer, got 10.5');
  });
});
