import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Quality, Split } from '@qad/core';
import { FFPP_QUALITIES, SPLITS } from '@qad/core';
import { byCodePoint, listDirs, listFiles, stem } from './fs_utils';
import type { CandidateVideo } from './resolve_records';
import { DirectoryCache, missingPolicy, perQuality, qualityList, resolveRecords } from './resolve_records';
import type { MissingPolicy, VideoDataset } from './video_dataset';

const NAME = 'FaceForensics++';

/** The five manipulation methods of the FaceForensics++ release. */
export const FFPP_METHODS: readonly string[] = [
  'Deepfakes',
  'Face2Face',
  'FaceSwap',
  'NeuralTextures',
  'FaceShifter',
];

/** Options of {@link loadFaceForensics}. */
export interface FaceForensicsOptions {
  /**
   * Manipulation folders under `manipulated_sequences/` to read. Default: every folder there except
   * `DeepFakeDetection` (which {@link FaceForensicsOptions.deepFakeDetection} controls). `[]` reads the
   * originals only.
   */
  readonly methods?: readonly string[];
  /** Quality folders to read; every video must exist in each. Default `['raw', 'c23', 'c40']`. */
  readonly qualities?: readonly Quality[];
  /** Folder holding `train.json`, `val.json`, `test.json`. Default `<root>/splits`. */
  readonly splitsDir?: string;
  /**
   * Also read the DeepFakeDetection part (`original_sequences/actors` and `manipulated_sequences/
   * DeepFakeDetection`), all into this split (it has no official split; it is usually a test set). Default:
   * not read.
   */
  readonly deepFakeDetection?: Split;
  /** A video lacking one of the qualities: `'error'` (default) or `'skip'` (counted in `skipped`). */
  readonly onMissing?: MissingPolicy;
}

/**
 * Reads the official split file `file`: a JSON array of id pairs `[["071","054"], …]`. Returns the pairs.
 * Errors name the file and the problem.
 */
export async function readFaceForensicsSplit(file: string): Promise<Array<[string, string]>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${NAME}: cannot read split file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${NAME}: split file ${file} is not valid JSON (${(error as Error).message}).`);
  }
  if (!Array.isArray(json)) {
    throw new Error(
      `${NAME}: split file ${file} must hold a JSON array of id pairs like [["071","054"], …], but holds ` +
        `${json === null ? 'null' : typeof json}.`,
    );
  }
  return json.map((entry, i) => {
    const ok =
      Array.isArray(entry) &&
      entry.length === 2 &&
      entry.every((id) => typeof id === 'string' && /^[A-Za-z0-9_-]+$/.test(id)) &&
      entry[0] !== entry[1];
    if (!ok) {
      throw new Error(
        `${NAME}: split file ${file}, entry ${i} must be a pair of two different video ids like ` +
          `["071","054"], but is ${JSON.stringify(entry)}.`,
      );
    }
    return [entry[0], entry[1]] as [string, string];
  });
}

async function videoNames(dir: string): Promise<string[]> {
  const names = (await listFiles(dir))?.filter((n) => n.toLowerCase().endsWith('.mp4'));
  if (names === undefined || names.length === 0) {
    throw new Error(`${NAME}: no .mp4 videos in ${dir} (the folder is missing or empty).`);
  }
  return names.sort(byCodePoint);
}

/**
 * Reads a FaceForensics++ tree into video records per split.
 *
 * Layout: `original_sequences/youtube/<q>/videos/NNN.mp4` and
 * `manipulated_sequences/<method>/<q>/videos/AAA_BBB.mp4`, with the official `splits/{train,val,test}.json`
 * (lists of id pairs). Both originals of a pair and both fakes `a_b` and `b_a` of every method belong to the
 * pair's split; videos on disk that no split file lists are ignored. Records are ordered originals first, then
 * methods in option order, each by id.
 *
 * Errors: an unreadable or malformed split file (naming the file and the entry), an id in two splits, a quality
 * folder that is missing or empty, and a missing quality variant of a listed video (naming the file; with
 * `onMissing: 'skip'` the video is left out and listed in `skipped` instead).
 */
export async function loadFaceForensics(
  root: string,
  options: FaceForensicsOptions = {},
): Promise<VideoDataset> {
  const base = resolve(root);
  const qualities = qualityList(NAME, options.qualities, FFPP_QUALITIES);
  const onMissing = missingPolicy(NAME, options.onMissing);
  const splitsDir = resolve(options.splitsDir ?? join(base, 'splits'));
  const dfd = options.deepFakeDetection;
  if (dfd !== undefined && !SPLITS.includes(dfd)) {
    throw new Error(
      `${NAME}: option 'deepFakeDetection' must be 'train', 'val' or 'test', but got '${dfd}'.`,
    );
  }

  let methods: string[];
  if (options.methods !== undefined) {
    methods = [...options.methods];
  } else {
    const found = await listDirs(join(base, 'manipulated_sequences'));
    methods = (found ?? []).filter((m) => m !== 'DeepFakeDetection').sort(byCodePoint);
    if (methods.length === 0) {
      throw new Error(
        `${NAME}: no method folders in ${join(base, 'manipulated_sequences')} (the folder is missing or ` +
          `empty); pass methods: [] to read the originals only.`,
      );
    }
  }

  const splitOf = new Map<string, { split: Split; file: string }>();
  const pairs: Array<{ a: string; b: string; split: Split }> = [];
  for (const split of SPLITS) {
    const file = join(splitsDir, `${split}.json`);
    for (const [a, b] of await readFaceForensicsSplit(file)) {
      for (const id of [a, b]) {
        const seen = splitOf.get(id);
        if (seen !== undefined && seen.split !== split) {
          throw new Error(`${NAME}: video id '${id}' is in two splits: ${seen.file} and ${file}.`);
        }
        splitOf.set(id, { split, file });
      }
      pairs.push({ a, b, split });
    }
  }

  const folder = (parts: string[], q: Quality) => join(base, ...parts, q, 'videos');
  // Listing each folder up front reports a missing/empty folder before any per-file error.
  const sources: string[][] = [
    ['original_sequences', 'youtube'],
    ...methods.map((m) => ['manipulated_sequences', m]),
  ];
  if (dfd !== undefined) {
    sources.push(['original_sequences', 'actors'], ['manipulated_sequences', 'DeepFakeDetection']);
  }
  const listed = new Map<string, string[]>();
  for (const parts of sources) {
    for (const q of qualities) listed.set(folder(parts, q), await videoNames(folder(parts, q)));
  }

  const candidates: CandidateVideo[] = [];
  const pathsOf = (parts: string[], name: string) =>
    perQuality(qualities, (q) => join(folder(parts, q), `${name}.mp4`));
  for (const id of [...splitOf.keys()].sort(byCodePoint)) {
    const split = splitOf.get(id)!.split;
    const parts = ['original_sequences', 'youtube'];
    candidates.push({
      id: `original/youtube/${id}`,
      label: 0,
      split,
      method: 'original',
      paths: pathsOf(parts, id),
    });
  }
  for (const method of methods) {
    const fakes: Array<{ name: string; split: Split }> = [];
    for (const { a, b, split } of pairs)
      fakes.push({ name: `${a}_${b}`, split }, { name: `${b}_${a}`, split });
    fakes.sort((x, y) => byCodePoint(x.name, y.name));
    const parts = ['manipulated_sequences', method];
    for (const { name, split } of fakes) {
      candidates.push({ id: `${method}/${name}`, label: 1, split, method, paths: pathsOf(parts, name) });
    }
  }
  if (dfd !== undefined) {
    // DeepFakeDetection has no split files: its videos are whatever the first quality folder holds.
    for (const [parts, label, method, prefix] of [
      [['original_sequences', 'actors'], 0, 'original', 'original/actors/'],
      [['manipulated_sequences', 'DeepFakeDetection'], 1, 'DeepFakeDetection', 'DeepFakeDetection/'],
    ] as const) {
      const names = listed.get(folder([...parts], qualities[0] as Quality)) ?? [];
      for (const n of names) {
        const name = stem(n);
        candidates.push({
          id: `${prefix}${name}`,
          label,
          split: dfd,
          method,
          paths: pathsOf([...parts], name),
        });
      }
    }
  }
  return resolveRecords(NAME, base, candidates, qualities, onMissing, new DirectoryCache());
}
