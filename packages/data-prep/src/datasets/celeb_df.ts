import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Label, Quality, Split } from '@qad/core';
import { Rng } from '@qad/core';
import { byCodePoint, listFiles, stem } from './fs_utils';
import type { CandidateVideo } from './resolve_records';
import { missingPolicy, perQuality, resolveRecords } from './resolve_records';
import { variantRoots } from './variant_roots';
import type { MissingPolicy, VideoDataset } from './video_dataset';

const NAME = 'Celeb-DF v2';
const FOLDERS = [
  { dir: 'Celeb-real', label: 0 as Label },
  { dir: 'YouTube-real', label: 0 as Label },
  { dir: 'Celeb-synthesis', label: 1 as Label },
] as const;

/** Options of {@link loadCelebDF}. */
export interface CelebDFOptions {
  /** Quality name given to the shipped videos (Celeb-DF has one quality). Default `'raw'`. */
  readonly quality?: Quality;
  /**
   * Extra qualities, each a root folder that mirrors the Celeb-DF layout (`Celeb-real/…`, …), for instance
   * copies made with `transcodeVideo(…, { crf: 23 })`. Default none.
   */
  readonly variants?: Readonly<Partial<Record<Quality, string>>>;
  /** The official test list. Default `<root>/List_of_testing_videos.txt`. */
  readonly testList?: string;
  /** Share of the non-test videos put in `val`. Default `0.1`. */
  readonly valFraction?: number;
  /** Seed of the train/val split. Default `0`. */
  readonly seed?: number;
  /** A video lacking one of the variants: `'error'` (default) or `'skip'`. */
  readonly onMissing?: MissingPolicy;
}

/**
 * The group a Celeb-DF video is split with: its target identity (`id3_0005` and `id3_id7_0005` → `id3`), so
 * that a fake and the real video it was made from land in the same split; YouTube-real videos (no identity in
 * the name) are their own group.
 */
export function celebDFGroup(dir: string, name: string): string {
  const m = dir === 'YouTube-real' ? null : /^(id\d+)_/.exec(name);
  return m ? m[1]! : `${dir}/${name}`;
}

/**
 * Splits `items` into train and val by group: the groups are sorted, shuffled with `Rng(seed)`, and taken in
 * that order into val until val holds at least `round(valFraction · n)` items; the rest is train.
 */
export function splitByGroup<T>(
  items: readonly T[],
  groupOf: (item: T) => string,
  valFraction: number,
  seed: number,
): { train: T[]; val: T[] } {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  const order = new Rng(seed).shuffle([...groups.keys()].sort(byCodePoint));
  const target = Math.round(valFraction * items.length);
  const valGroups = new Set<string>();
  let count = 0;
  for (const key of order) {
    if (count >= target) break;
    valGroups.add(key);
    count += groups.get(key)!.length;
  }
  return {
    train: items.filter((i) => !valGroups.has(groupOf(i))),
    val: items.filter((i) => valGroups.has(groupOf(i))),
  };
}

/**
 * Reads Celeb-DF v2 (`Celeb-real/`, `YouTube-real/`, `Celeb-synthesis/`, `List_of_testing_videos.txt`) into
 * video records. `test` = the listed videos (the list's `1 = real, 0 = fake` is inverted to this package's
 * `0 = real, 1 = fake`); the other videos are split into train and val by `splitByGroup` over
 * `celebDFGroup` (identity-disjoint train/val; the official test list shares identities with them).
 */
export async function loadCelebDF(root: string, options: CelebDFOptions = {}): Promise<VideoDataset> {
  const base = resolve(root);
  const roots = variantRoots(NAME, base, options.quality, options.variants);
  const qualities = [...roots.keys()];
  const onMissing = missingPolicy(NAME, options.onMissing);
  const valFraction = options.valFraction ?? 0.1;
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new Error(`${NAME}: option 'valFraction' must be in [0, 1), but got ${valFraction}.`);
  }
  const seed = options.seed ?? 0;

  const videos: Array<{ dir: string; name: string; label: Label; file: string }> = [];
  for (const { dir, label } of FOLDERS) {
    const files = (await listFiles(join(base, dir)))?.filter((n) => n.toLowerCase().endsWith('.mp4'));
    if (files === undefined || files.length === 0) {
      throw new Error(`${NAME}: no .mp4 videos in ${join(base, dir)} (the folder is missing or empty).`);
    }
    for (const file of files.sort(byCodePoint)) videos.push({ dir, name: stem(file), label, file });
  }

  const listFile = resolve(options.testList ?? join(base, 'List_of_testing_videos.txt'));
  let text: string;
  try {
    text = await readFile(listFile, 'utf8');
  } catch (error) {
    throw new Error(`${NAME}: cannot read test list ${listFile}: ${(error as Error).message}`);
  }
  const testKeys = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^([01])\s+([^/\s]+)\/([^/\s]+)$/.exec(line);
    const folder = m ? FOLDERS.find((f) => f.dir === m[2]) : undefined;
    if (!m || !folder) {
      throw new Error(
        `${NAME}: test list ${listFile}, line ${i + 1}: expected '<label> <folder>/<name>.mp4' with label 1 ` +
          `(real) or 0 (fake) and folder Celeb-real, YouTube-real or Celeb-synthesis, but got '${line}'.`,
      );
    }
    // The list says 1 = real; a disagreement with the folder means a corrupt or re-labelled list.
    const label: Label = m[1] === '1' ? 0 : 1;
    if (label !== folder.label) {
      throw new Error(
        `${NAME}: test list ${listFile}, line ${i + 1}: label ${m[1]} (${m[1] === '1' ? 'real' : 'fake'}) ` +
          `contradicts folder ${folder.dir}.`,
      );
    }
    const key = `${m[2]}/${m[3]}`;
    if (testKeys.has(key))
      throw new Error(`${NAME}: test list ${listFile}, line ${i + 1}: ${key} is listed twice.`);
    testKeys.add(key);
  });

  const rest = videos.filter((v) => !testKeys.has(`${v.dir}/${v.file}`));
  const { train, val } = splitByGroup(rest, (v) => celebDFGroup(v.dir, v.name), valFraction, seed);
  const candidate = (dir: string, file: string, label: Label, split: Split): CandidateVideo => ({
    id: `${dir}/${stem(file)}`,
    label,
    split,
    method: label === 0 ? 'original' : 'Celeb-synthesis',
    paths: perQuality(qualities, (q) => join(roots.get(q)!, dir, file)),
  });
  const candidates: CandidateVideo[] = [];
  for (const v of train) candidates.push(candidate(v.dir, v.file, v.label, 'train'));
  for (const v of val) candidates.push(candidate(v.dir, v.file, v.label, 'val'));
  // Listed test videos absent from the shipped folders go through the missing-file policy like variants.
  for (const key of [...testKeys].sort(byCodePoint)) {
    const [dir, file] = key.split('/') as [string, string];
    const folder = FOLDERS.find((f) => f.dir === dir)!;
    candidates.push(candidate(dir, file, folder.label, 'test'));
  }
  return resolveRecords(NAME, base, candidates, qualities, onMissing);
}
