import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Label, PairedSplit, Quality, Split } from '@qad/core';
import type { SquareClip } from './face_box';

/** File name of the manifest inside the crop folder. */
export const CROP_MANIFEST_FILE = 'manifest.json';

/** The settings a crop folder was made with; a resumed run must use the same ones. */
export interface CropSettings {
  readonly framesPerVideo: number;
  /** Side of the stored square PNG crops. */
  readonly cropSize: number;
  /** Enlargement of the face box (1.3). */
  readonly scale: number;
  readonly clip: SquareClip;
  /** Qualities cropped, the detection quality first (boxes found on it are reused for the others). */
  readonly qualities: readonly Quality[];
}

/** What was extracted from one video. */
export interface CropManifestVideo {
  readonly id: string;
  readonly label: Label;
  readonly split: Split;
  readonly method: string;
  /** Folder of the video's crops, relative to the manifest's folder, `/`-separated. */
  readonly dir: string;
  /** Frames in the detection-quality video. */
  readonly frameCount: number;
  /** Indices of the cropped frames, ascending: crop `k` of every quality is frame `frames[k]`. */
  readonly frames: readonly number[];
  /** Square of each cropped frame, `[x, y, size]` in video pixels (the same for every quality). */
  readonly regions: readonly (readonly [number, number, number])[];
  /** Sampled frames without a face, ascending. */
  readonly skipped: readonly number[];
}

/** The index of a crop folder: settings, finished videos, and the last error of videos that failed. */
export interface CropManifest {
  readonly version: 1;
  readonly settings: CropSettings;
  readonly videos: Readonly<Record<string, CropManifestVideo>>;
  readonly failures: Readonly<Record<string, string>>;
}

/** File name of the crop of frame `frameIndex` inside a video's quality folder (`000123.png`). */
export function cropFileName(frameIndex: number): string {
  return `${String(frameIndex).padStart(6, '0')}.png`;
}

/** Path of one crop: `<root>/<video.dir>/<quality>/<frame>.png`. */
export function cropPath(
  root: string,
  video: CropManifestVideo,
  quality: Quality,
  frameIndex: number,
): string {
  return join(root, video.dir, quality, cropFileName(frameIndex));
}

/**
 * Reads `<outDir>/manifest.json`; `undefined` when there is none.
 *
 * @throws when the file exists but is not a version-1 crop manifest (the message names it).
 */
export async function readCropManifest(outDir: string): Promise<CropManifest | undefined> {
  const path = join(outDir, CROP_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`readCropManifest: cannot read '${path}': ${(error as Error).message}`);
  }
  let json: Partial<CropManifest>;
  try {
    json = JSON.parse(text) as Partial<CropManifest>;
  } catch (error) {
    throw new Error(`readCropManifest: '${path}' is not valid JSON: ${(error as Error).message}`);
  }
  if (
    json?.version !== 1 ||
    typeof json.settings !== 'object' ||
    typeof json.videos !== 'object' ||
    typeof json.failures !== 'object'
  ) {
    throw new Error(`readCropManifest: '${path}' is not a version-1 crop manifest`);
  }
  return json as CropManifest;
}

/**
 * The frame-level paired index of one split (the loader's input): for every video of `split` (sorted by id,
 * so the order does not depend on the order of extraction or resumption) and every cropped frame, the crop
 * path at each quality. Entry `i` of every quality is the same frame, cropped with the same square.
 *
 * @param manifest - a crop manifest ({@link readCropManifest} or the result of `extractFaceCrops`).
 * @param split - which split.
 * @param root - the folder that holds the manifest (paths in it are relative to it).
 *
 * @example
 * ```ts
 * const manifest = await readCropManifest('crops');
 * const train = manifestToPairedSplit(manifest!, 'train', 'crops');
 * ```
 */
export function manifestToPairedSplit(manifest: CropManifest, split: Split, root: string): PairedSplit {
  const qualities = manifest.settings.qualities;
  const frames: Record<Quality, string[]> = {} as Record<Quality, string[]>;
  for (const q of qualities) frames[q] = [];
  const labels: Label[] = [];
  const videos: string[] = [];
  const entries = Object.values(manifest.videos)
    .filter((v) => v.split === split)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const video of entries) {
    for (const index of video.frames) {
      for (const q of qualities) frames[q]!.push(cropPath(root, video, q, index));
      labels.push(video.label);
      videos.push(video.id);
    }
  }
  return { frames, labels, videos };
}
