import { basename, dirname } from 'node:path';
import type { Label, Quality, Split } from '@qad/core';
import { SPLITS } from '@qad/core';
import type { VideoRecord } from '../video_record';
import { listFiles } from './fs_utils';
import type { MissingPolicy, SkippedVideo, VideoDataset } from './video_dataset';

/** A video an adapter expects, before its quality variants were checked on disk. */
export interface CandidateVideo {
  readonly id: string;
  readonly label: Label;
  readonly split: Split;
  readonly method: string;
  readonly paths: Readonly<Record<Quality, string>>;
}

/** Caches one listing per folder, so checking thousands of files costs one `readdir` per folder. */
export class DirectoryCache {
  private readonly listings = new Map<string, Promise<Set<string>>>();

  async has(path: string): Promise<boolean> {
    const dir = dirname(path);
    let listing = this.listings.get(dir);
    if (listing === undefined) {
      listing = listFiles(dir).then((names) => new Set(names ?? []));
      this.listings.set(dir, listing);
    }
    return (await listing).has(basename(path));
  }
}

/**
 * Checks every quality variant of every candidate, applies the missing-file policy and groups the records by
 * split (keeping the candidates' order).
 */
export async function resolveRecords(
  name: string,
  root: string,
  candidates: readonly CandidateVideo[],
  qualities: readonly Quality[],
  onMissing: MissingPolicy,
  cache = new DirectoryCache(),
): Promise<VideoDataset> {
  const splits: Record<Split, VideoRecord[]> = { train: [], val: [], test: [] };
  const skipped: SkippedVideo[] = [];
  const ids = new Set<string>();
  for (const c of candidates) {
    if (ids.has(c.id))
      throw new Error(`${name}: two videos share the id ${c.id} (${Object.values(c.paths)[0]}).`);
    ids.add(c.id);
    let missing: SkippedVideo | undefined;
    for (const q of qualities) {
      const path = c.paths[q];
      if (path === undefined || !(await cache.has(path))) {
        missing = { id: c.id, split: c.split, quality: q, path: path ?? '(no path)' };
        break;
      }
    }
    if (missing === undefined) {
      splits[c.split].push(c);
      continue;
    }
    if (onMissing === 'skip') {
      skipped.push(missing);
      continue;
    }
    throw new Error(
      `${name}: missing ${missing.quality} variant of ${c.id}: ${missing.path} does not exist ` +
        `(pass onMissing: 'skip' to leave such videos out).`,
    );
  }
  return { name, root, qualities: [...qualities], splits, skipped };
}

/** Validates the shared `onMissing` option. */
export function missingPolicy(name: string, value: unknown): MissingPolicy {
  if (value === undefined) return 'error';
  if (value !== 'error' && value !== 'skip') {
    throw new Error(
      `${name}: option 'onMissing' must be 'error' or 'skip', but got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Validates a requested list of splits (unknown names and duplicates are errors). */
export function splitList(name: string, value: readonly Split[] | undefined): Split[] {
  if (value === undefined) return [...SPLITS];
  const seen = new Set<Split>();
  for (const s of value) {
    if (!SPLITS.includes(s)) {
      throw new Error(`${name}: option 'splits' must list only 'train', 'val' and 'test', but got '${s}'.`);
    }
    if (seen.has(s)) throw new Error(`${name}: option 'splits' lists '${s}' twice.`);
    seen.add(s);
  }
  return [...seen];
}

/** Validates a requested list of qualities: non-empty, unique, plain folder names. */
export function qualityList(
  name: string,
  value: readonly Quality[] | undefined,
  fallback: readonly Quality[],
) {
  const list = value ?? fallback;
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(`${name}: option 'qualities' must be a non-empty array of quality names.`);
  }
  const seen = new Set<Quality>();
  for (const q of list) {
    if (typeof q !== 'string' || q === '' || /[/\\]/.test(q) || q === '.' || q === '..') {
      throw new Error(
        `${name}: option 'qualities' must hold plain folder names, but got ${JSON.stringify(q)}.`,
      );
    }
    if (seen.has(q)) throw new Error(`${name}: option 'qualities' lists '${q}' twice.`);
    seen.add(q);
  }
  return [...seen];
}

/**
 * One value per quality. `Record<Quality, T>` names `raw`/`c23`/`c40` as required keys, but a data set holds
 * only the qualities it was asked for: the cast states that a record carries exactly `qualities`.
 */
export function perQuality<T>(qualities: readonly Quality[], value: (q: Quality) => T): Record<Quality, T> {
  return Object.fromEntries(qualities.map((q) => [q, value(q)])) as Record<Quality, T>;
}
