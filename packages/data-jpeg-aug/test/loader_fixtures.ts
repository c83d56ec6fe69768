// Frames whose pixels say which sample, which quality and which side is left, for the loader tests.

import { join } from 'node:path';
import type { Label, PairedSplit, Quality } from '@qad/core';
import { savePng } from '../src/image';
import type { RgbImage } from '../src/types';

export const QUALITIES: readonly Quality[] = ['raw', 'c23', 'c40'];
/** Frame side in pixels. */
export const SIDE = 24;

/** Red level of sample `i` (uniform over the frame). */
export const redOf = (i: number): number => 20 + 12 * i;
/** Green level of quality number `m` (uniform over the frame). */
export const greenOf = (m: number): number => 40 + 80 * m;
/** Blue level of the left and right halves: a flip swaps them. */
export const BLUE_LEFT = 30;
export const BLUE_RIGHT = 220;

/** Label of sample `i`. */
export const labelOf = (i: number): Label => ((i * 7) % 3 === 0 ? 1 : 0);

/** A `SIDE × SIDE` frame: red encodes the sample, green the quality, blue the left/right halves. */
export function codedFrame(sample: number, qualityIndex: number): RgbImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      data.set(
        [redOf(sample), greenOf(qualityIndex), x < SIDE / 2 ? BLUE_LEFT : BLUE_RIGHT],
        (y * SIDE + x) * 3,
      );
    }
  }
  return { data, width: SIDE, height: SIDE };
}

/** Writes `n` samples × {@link QUALITIES} coded PNG frames into `dir` and returns their split. */
export async function writeCodedSplit(dir: string, n: number): Promise<PairedSplit> {
  const frames: Record<string, string[]> = {};
  for (const [m, quality] of QUALITIES.entries()) {
    const list: string[] = [];
    frames[quality] = list;
    for (let i = 0; i < n; i++) {
      const path = join(dir, `${quality}_${i}.png`);
      await savePng(path, codedFrame(i, m));
      list.push(path);
    }
  }
  return {
    frames: frames as unknown as PairedSplit['frames'],
    labels: Array.from({ length: n }, (_, i) => labelOf(i)),
    videos: Array.from({ length: n }, (_, i) => `video_${i}`),
  };
}
