import { join, relative, resolve } from 'node:path';
import type { Label, Quality, Split } from '@qad/core';
import { byCodePoint, listDirs, listFiles, stem } from './fs_utils';
import type { CandidateVideo } from './resolve_records';
import { missingPolicy, perQuality, resolveRecords, splitList } from './resolve_records';
import { variantRoots } from './variant_roots';
import type { MissingPolicy, VideoDataset } from './video_dataset';

const NAME = 'FFIW10K';

/** Options of {@link loadFFIW}. */
export interface FFIWOptions {
  /** Splits to read; each needs a non-empty `source/<split>` and `target/<split>`. Default all three. */
  readonly splits?: readonly Split[];
  /** Quality name given to the shipped videos. Default `'raw'`. */
  readonly quality?: Quality;
  /** Extra qualities, each a root that mirrors the layout (for instance `transcodeVideo` copies). */
  readonly variants?: Readonly<Partial<Record<Quality, string>>>;
  /** A video lacking one of the variants: `'error'` (default) or `'skip'`. */
  readonly onMissing?: MissingPolicy;
}

/**
 * Reads FFIW10K (Face Forensics in the Wild) from its release folder `FFIW10K-v1-release/`:
 * `source/<split>/*.mp4` are the real videos and `target/<split>/*.mp4` the manipulated ones, for split
 * `train`, `val`, `test`. Some copies keep the videos one level deeper, in `<split>/videos/`; that sub-folder is
 * used when present. The test-only release (`FFIW10K-v1-release-test`) is read with `splits: ['test']`.
 */
export async function loadFFIW(root: string, options: FFIWOptions = {}): Promise<VideoDataset> {
  const base = resolve(root);
  const roots = variantRoots(NAME, base, options.quality, options.variants);
  const qualities = [...roots.keys()];
  const onMissing = missingPolicy(NAME, options.onMissing);
  const splits = splitList(NAME, options.splits);
  const candidates: CandidateVideo[] = [];
  for (const split of splits) {
    for (const [side, label] of [
      ['source', 0],
      ['target', 1],
    ] as Array<[string, Label]>) {
      let dir = join(base, side, split);
      if ((await listDirs(dir))?.includes('videos')) dir = join(dir, 'videos');
      const files = (await listFiles(dir))?.filter((n) => n.toLowerCase().endsWith('.mp4'));
      if (files === undefined || files.length === 0) {
        throw new Error(`${NAME}: no .mp4 videos in ${dir} (the folder is missing or empty).`);
      }
      const rel = relative(base, dir);
      for (const file of files.sort(byCodePoint)) {
        candidates.push({
          id: `${side}/${split}/${stem(file)}`,
          label,
          split,
          method: label === 0 ? 'original' : 'FFIW10K',
          paths: perQuality(qualities, (q) => join(roots.get(q)!, rel, file)),
        });
      }
    }
  }
  return resolveRecords(NAME, base, candidates, qualities, onMissing);
}
