import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Label, Split } from '@qad/core';
import { Rng } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import { encodeVideo, transcodeVideo } from '@qad/data-jpeg-aug';
import type { FaceBox, FaceDetector } from '../src/faces/face_box';
import type { VideoRecord } from '../src/video_record';

export const W = 64;
export const H = 64;
export const R = 10;
export const FRAME_COUNT = 12;
/** The "face": a red disc of radius 10 whose centre moves right by 2 px per frame. */
export const discCentre = (t: number): [number, number] => [20 + 2 * t, 32];
/** Its ground-truth box. */
export const discBox = (t: number): FaceBox => {
  const [cx, cy] = discCentre(t);
  return { x: cx - R, y: cy - R, width: 2 * R, height: 2 * R, score: 1 };
};

/** Static seeded texture with the disc drawn on the frames where `hasFace(t)`. */
export function faceFrames(count: number, hasFace: (t: number) => boolean, seed: number): RgbImage[] {
  const rng = new Rng(seed);
  const bg = Uint8Array.from({ length: W * H * 3 }, (_, i) => 40 + (i % 3) * 30 + rng.int(0, 60));
  return Array.from({ length: count }, (_, t) => {
    const data = bg.slice();
    if (hasFace(t)) {
      const [cx, cy] = discCentre(t);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < R * R) data.set([235, 30, 40], (y * W + x) * 3);
        }
      }
    }
    return { data, width: W, height: H };
  });
}

export interface FaceVideoSpec {
  readonly name: string;
  readonly id: string;
  readonly label: Label;
  readonly split: Split;
  readonly hasFace: (t: number) => boolean;
  /** Frames of the c23 file, when it should differ from raw (to test the mismatch check). */
  readonly c23Frames?: number;
}

/**
 * Writes `<root>/{raw,c23,c40}/<name>.mp4` per spec (raw = CRF 0, the others transcoded from it, as FF++)
 * and `<root>/boxes.json` in the benchmark's format (relative raw path → one box or null per frame).
 */
export async function makeFaceDataset(root: string, specs: readonly FaceVideoSpec[]): Promise<VideoRecord[]> {
  const sidecar: Record<string, (FaceBox | null)[]> = {};
  const records: VideoRecord[] = [];
  for (const [k, spec] of specs.entries()) {
    const frames = faceFrames(FRAME_COUNT, spec.hasFace, 100 + k);
    const paths = {
      raw: join(root, 'raw', `${spec.name}.mp4`),
      c23: join(root, 'c23', `${spec.name}.mp4`),
      c40: join(root, 'c40', `${spec.name}.mp4`),
    };
    await encodeVideo(frames, paths.raw, { crf: 0, preset: 'ultrafast' });
    if (spec.c23Frames === undefined)
      await transcodeVideo(paths.raw, paths.c23, { crf: 23, preset: 'ultrafast' });
    else await encodeVideo(frames.slice(0, spec.c23Frames), paths.c23, { crf: 23, preset: 'ultrafast' });
    await transcodeVideo(paths.raw, paths.c40, { crf: 40, preset: 'ultrafast' });
    sidecar[`raw/${spec.name}.mp4`] = frames.map((_, t) => (spec.hasFace(t) ? discBox(t) : null));
    records.push({
      id: spec.id,
      label: spec.label,
      split: spec.split,
      method: spec.label === 0 ? 'original' : 'Fake',
      paths,
    });
  }
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'boxes.json'), JSON.stringify(sidecar));
  return records;
}

/** A toy detector: the bounding box of strongly red pixels, or nothing. Counts its calls. */
export function redDiscDetector(): FaceDetector & { calls: RgbImage[] } {
  const calls: RgbImage[] = [];
  return {
    calls,
    async detect(image) {
      calls.push(image);
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          const i = (y * image.width + x) * 3;
          if (image.data[i]! > 170 && image.data[i + 1]! < 110) {
            x0 = Math.min(x0, x);
            y0 = Math.min(y0, y);
            x1 = Math.max(x1, x + 1);
            y1 = Math.max(y1, y + 1);
          }
        }
      }
      return x1 > x0 ? [{ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score: 0.9 }] : [];
    },
  };
}

/** The `size × size` window at (x, y) of an image, copied by hand. */
export function windowOf(image: RgbImage, x: number, y: number, size: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      for (let ch = 0; ch < 3; ch++)
        data[(r * size + c) * 3 + ch] = image.data[((y + r) * image.width + x + c) * 3 + ch]!;
    }
  }
  return { data, width: size, height: size };
}
