import { join, resolve } from 'node:path';
import type { Label, Quality, Split } from '@qad/core';
import { byCodePoint, byQuality, extensionOf, listDirs, listFiles, stem } from './fs_utils';
import type { CandidateVideo } from './resolve_records';
import { missingPolicy, perQuality, qualityList, resolveRecords, splitList } from './resolve_records';
import type { MissingPolicy, VideoDataset } from './video_dataset';

const NAME = 'Video folder';

/** File extensions {@link loadVideoFolder} accepts by default: common video containers and still images. */
export const MEDIA_EXTENSIONS: readonly string[] = [
  '.mp4',
  '.avi',
  '.mov',
  '.mkv',
  '.webm',
  '.png',
  '.jpg',
  '.jpeg',
  '.bmp',
  '.webp',
];

/** Options of {@link loadVideoFolder}. */
export interface VideoFolderOptions {
  /** Splits to read; each must exist and hold at least one file. Default all three. */
  readonly splits?: readonly Split[];
  /**
   * Qualities to read. Default: every quality folder found under any `<split>/<real|fake>/` (`raw`, `c23`,
   * `c40` first, then others by name); every file must exist in each.
   */
  readonly qualities?: readonly Quality[];
  /** Accepted extensions (lower case, with the dot). Default {@link MEDIA_EXTENSIONS}. */
  readonly extensions?: readonly string[];
  /** Method name given to the fake records. Default `'fake'`. */
  readonly fakeMethod?: string;
  /** A file lacking one of the qualities: `'error'` (default) or `'skip'`. */
  readonly onMissing?: MissingPolicy;
}

/**
 * Reads a user data set laid out as `<root>/<split>/<real|fake>/<quality>/<name>.<ext>` (videos, or still
 * images treated as one-frame videos). The same `<name>.<ext>` in every quality folder is the same content
 * at that quality. The files listed in the first quality folder define the videos; ids are
 * `<split>/<real|fake>/<name>`. A split needs at least one of `real/` and `fake/`.
 */
export async function loadVideoFolder(root: string, options: VideoFolderOptions = {}): Promise<VideoDataset> {
  const base = resolve(root);
  const onMissing = missingPolicy(NAME, options.onMissing);
  const splits = splitList(NAME, options.splits);
  const extensions = new Set(options.extensions ?? MEDIA_EXTENSIONS);
  const fakeMethod = options.fakeMethod ?? 'fake';

  const found = new Set<Quality>();
  const labelDirs: Array<{ split: Split; side: 'real' | 'fake'; label: Label; dir: string }> = [];
  for (const split of splits) {
    const sides = await listDirs(join(base, split));
    const present = (['real', 'fake'] as const).filter((s) => sides?.includes(s));
    if (present.length === 0) {
      throw new Error(
        `${NAME}: ${join(base, split)} has neither a real/ nor a fake/ folder (the split folder is missing or empty).`,
      );
    }
    for (const side of present) {
      const dir = join(base, split, side);
      for (const q of (await listDirs(dir)) ?? []) found.add(q);
      labelDirs.push({ split, side, label: side === 'real' ? 0 : 1, dir });
    }
  }
  const qualities = qualityList(NAME, options.qualities, [...found].sort(byQuality));

  const candidates: CandidateVideo[] = [];
  for (const { split, side, label, dir } of labelDirs) {
    const first = join(dir, qualities[0] as Quality);
    const files = (await listFiles(first))?.filter((n) => extensions.has(extensionOf(n)));
    if (files === undefined || files.length === 0) {
      throw new Error(`${NAME}: no media files in ${first} (the folder is missing or empty).`);
    }
    for (const file of files.sort(byCodePoint)) {
      candidates.push({
        id: `${split}/${side}/${stem(file)}`,
        label,
        split,
        method: label === 0 ? 'original' : fakeMethod,
        paths: perQuality(qualities, (q) => join(dir, q, file)),
      });
    }
  }
  return resolveRecords(NAME, base, candidates, qualities, onMissing);
}
