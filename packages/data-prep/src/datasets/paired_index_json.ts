import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Label, PairedIndex, PairedSplit, Quality, Split } from '@qad/core';
import { atomicWrite, SPLITS } from '@qad/core';
import { byQuality } from './fs_utils';

/**
 * How {@link parsePairedIndex} fills `videos[i]`, which the authors' format does not store: `'parent'`
 * (default) = the parent folder of the frame's path in the first quality (frames of one video share a folder in
 * the authors' layout), `'path'` = the frame path itself (every frame its own video), or a function of the
 * first quality's frame path.
 */
export type VideoOfFrame = 'parent' | 'path' | ((framePath: string) => string);

/** Options of {@link readPairedIndex} and {@link parsePairedIndex}. */
export interface PairedIndexImportOptions {
  /** Qualities every split must have; default: those of the file (the same set in every split). */
  readonly qualities?: readonly Quality[];
  /** See {@link VideoOfFrame}. */
  readonly videos?: VideoOfFrame;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string'
    ? `the string ${JSON.stringify(value)}`
    : `${typeof value} ${String(value)}`;
}

/**
 * Converts the authors' JSON index (`{"train": {"raw": […], "c23": […], "c40": […], "labels": […]}, "val": …,
 * "test": …}`) into a `PairedIndex` (`@qad/core`). `source` names the file in errors. Checks: every split present and
 * an object, every quality list an array of strings as long as `labels`, labels 0 or 1, the same qualities in
 * every split (or the requested ones present). Errors name the split, the quality and the index.
 */
export function parsePairedIndex(
  json: unknown,
  source: string,
  options: PairedIndexImportOptions = {},
): PairedIndex {
  const fail = (msg: string): never => {
    throw new Error(`Paired index ${source}: ${msg}`);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    fail(`must be an object with keys "train", "val" and "test", but is ${kind(json)}.`);
  }
  const obj = json as Record<string, unknown>;
  const videoOf = options.videos ?? 'parent';
  let qualities = options.qualities ? [...options.qualities] : undefined;
  const out = {} as Record<Split, PairedSplit>;
  for (const split of SPLITS) {
    const entry = obj[split];
    if (entry === undefined) fail(`split '${split}' is missing.`);
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      fail(
        `split '${split}' must be an object of per-quality path lists and "labels", but is ${kind(entry)}.`,
      );
    }
    const record = entry as Record<string, unknown>;
    const labels = record.labels;
    if (!Array.isArray(labels)) fail(`split '${split}' has no "labels" array.`);
    const labelList = labels as unknown[];
    labelList.forEach((l, i) => {
      if (l !== 0 && l !== 1)
        fail(`split '${split}', labels[${i}] is ${JSON.stringify(l)} (must be 0 or 1).`);
    });
    const here = Object.keys(record)
      .filter((k) => k !== 'labels')
      .sort(byQuality);
    if (qualities === undefined) {
      if (here.length === 0) fail(`split '${split}' has no quality lists (only "labels").`);
      qualities = here;
    }
    for (const q of qualities) {
      if (!here.includes(q)) fail(`split '${split}' has no '${q}' list.`);
    }
    if (options.qualities === undefined) {
      const extra = here.find((q) => !qualities!.includes(q));
      if (extra !== undefined) {
        fail(
          `split '${split}' has a '${extra}' list that split '${SPLITS[0]}' lacks (qualities must match).`,
        );
      }
    }
    const frames = {} as Record<Quality, string[]>;
    for (const q of qualities) {
      const list = record[q];
      if (!Array.isArray(list))
        fail(`split '${split}', '${q}' must be an array of paths, but is ${kind(list)}.`);
      const paths = list as unknown[];
      if (paths.length !== labelList.length) {
        fail(`split '${split}', '${q}' has ${paths.length} entries but "labels" has ${labelList.length}.`);
      }
      paths.forEach((p, i) => {
        if (typeof p !== 'string' || p === '')
          fail(`split '${split}', ${q}[${i}] is ${kind(p)} (must be a path).`);
      });
      frames[q] = paths as string[];
    }
    const first = frames[qualities[0] as Quality] ?? [];
    const videos = first.map((p) =>
      videoOf === 'parent' ? dirname(p) : videoOf === 'path' ? p : videoOf(p),
    );
    out[split] = { frames, labels: labelList as Label[], videos };
  }
  return out;
}

/**
 * Reads the authors' JSON index file (see {@link parsePairedIndex}); errors name the file and the offending
 * split, quality and index.
 */
export async function readPairedIndex(
  path: string,
  options: PairedIndexImportOptions = {},
): Promise<PairedIndex> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Paired index ${file}: cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Paired index ${file}: is not valid JSON (${(error as Error).message}).`);
  }
  return parsePairedIndex(json, file, options);
}

/**
 * The authors' JSON object for `index`: per split, one path list per quality (in the index's order), then
 * `labels`. `videos` is dropped (the format has no place for it). Checks the lengths first.
 */
export function serializePairedIndex(
  index: PairedIndex,
): Record<Split, Record<string, readonly (string | number)[]>> {
  const out = {} as Record<Split, Record<string, readonly (string | number)[]>>;
  for (const split of SPLITS) {
    const s = index[split];
    if (s === undefined) throw new Error(`serializePairedIndex: split '${split}' is missing.`);
    const entry: Record<string, readonly (string | number)[]> = {};
    for (const [q, list] of Object.entries(s.frames)) {
      if (q === 'labels')
        throw new Error(`serializePairedIndex: split '${split}' has a quality named 'labels'.`);
      if (list.length !== s.labels.length) {
        throw new Error(
          `serializePairedIndex: split '${split}', '${q}' has ${list.length} entries but labels has ${s.labels.length}.`,
        );
      }
      entry[q] = list;
    }
    entry.labels = s.labels;
    out[split] = entry;
  }
  return out;
}

/** Writes `index` in the authors' JSON format (see {@link serializePairedIndex}) atomically (temp + rename). */
export async function writePairedIndex(path: string, index: PairedIndex): Promise<void> {
  await atomicWrite(resolve(path), `${JSON.stringify(serializePairedIndex(index))}\n`);
}
