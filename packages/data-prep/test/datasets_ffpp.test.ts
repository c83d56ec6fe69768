import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Split } from '@qad/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFaceForensics, readFaceForensicsSplit } from '../src/datasets';
import { jsonError, tempRoot, touch, writeText } from './datasets_fixtures';

const SPLIT_PAIRS: Record<Split, Array<[string, string]>> = {
  train: [
    ['000', '001'],
    ['002', '003'],
  ],
  val: [['004', '005']],
  test: [['006', '007']],
};
const QUALITIES = ['raw', 'c23', 'c40'];
const METHODS = ['Deepfakes', 'FaceSwap'];

async function buildFFpp(root: string): Promise<void> {
  for (const [split, pairs] of Object.entries(SPLIT_PAIRS)) {
    await writeText(root, `splits/${split}.json`, JSON.stringify(pairs));
  }
  const files: string[] = [];
  const ids = Object.values(SPLIT_PAIRS).flat(2);
  for (const q of QUALITIES) {
    for (const id of ids) files.push(`original_sequences/youtube/${q}/videos/${id}.mp4`);
    for (const m of METHODS) {
      for (const [a, b] of Object.values(SPLIT_PAIRS).flat()) {
        files.push(`manipulated_sequences/${m}/${q}/videos/${a}_${b}.mp4`);
        files.push(`manipulated_sequences/${m}/${q}/videos/${b}_${a}.mp4`);
      }
    }
  }
  await touch(root, ...files);
}

describe('loadFaceForensics', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ root, cleanup } = await tempRoot('ffpp'));
    await buildFFpp(root);
  });
  afterEach(() => cleanup());

  it('builds records per split with the right counts, labels, methods and aligned paths', async () => {
    const ds = await loadFaceForensics(root);
    expect(ds.qualities).toEqual(QUALITIES);
    expect(ds.skipped).toEqual([]);
    // Per split: 2 originals per pair; 2 fakes (a_b, b_a) per pair per method.
    for (const [split, pairs] of Object.entries(SPLIT_PAIRS) as Array<[Split, Array<[string, string]>]>) {
      const recs = ds.splits[split];
      expect(recs.filter((r) => r.label === 0)).toHaveLength(2 * pairs.length);
      expect(recs.filter((r) => r.label === 1)).toHaveLength(2 * pairs.length * METHODS.length);
      for (const m of METHODS) expect(recs.filter((r) => r.method === m)).toHaveLength(2 * pairs.length);
      for (const r of recs) {
        expect(r.split).toBe(split);
        // Every quality's path is the raw path with the quality folder swapped.
        for (const q of QUALITIES)
          expect(r.paths[q]).toBe(r.paths.raw!.replace('/raw/videos/', `/${q}/videos/`));
      }
    }
    const train = ds.splits.train;
    expect(train.map((r) => r.id).slice(0, 4)).toEqual([
      'original/youtube/000',
      'original/youtube/001',
      'original/youtube/002',
      'original/youtube/003',
    ]);
    // Fakes a_b and b_a of a pair live in that pair's split.
    const ab = train.find((r) => r.id === 'Deepfakes/002_003');
    expect(ab).toEqual({
      id: 'Deepfakes/002_003',
      label: 1,
      split: 'train',
      method: 'Deepfakes',
      paths: Object.fromEntries(
        QUALITIES.map((q) => [q, join(root, `manipulated_sequences/Deepfakes/${q}/videos/002_003.mp4`)]),
      ),
    });
    expect(ds.splits.val.map((r) => r.id)).toContain('FaceSwap/005_004');
    expect(ds.splits.test.map((r) => r.id)).toContain('FaceSwap/007_006');
    expect(ds.splits.test.map((r) => r.id)).not.toContain('FaceSwap/005_004');
  });

  it('reads only the requested methods and qualities; methods [] reads the originals', async () => {
    const ds = await loadFaceForensics(root, { methods: ['FaceSwap'], qualities: ['c40'] });
    expect(ds.splits.train).toHaveLength(4 + 4);
    expect(Object.keys(ds.splits.train[0]!.paths)).toEqual(['c40']);
    const originals = await loadFaceForensics(root, { methods: [] });
    expect(originals.splits.test.every((r) => r.label === 0)).toBe(true);
  });

  it('reads DeepFakeDetection into the chosen split when asked', async () => {
    for (const q of QUALITIES) {
      await touch(
        root,
        `original_sequences/actors/${q}/videos/01__walk.mp4`,
        `manipulated_sequences/DeepFakeDetection/${q}/videos/01_02__walk__ABC.mp4`,
      );
    }
    const plain = await loadFaceForensics(root);
    expect(plain.splits.test.some((r) => r.method === 'DeepFakeDetection')).toBe(false);
    const ds = await loadFaceForensics(root, { deepFakeDetection: 'test' });
    expect(ds.splits.test.map((r) => r.id)).toEqual(
      expect.arrayContaining(['original/actors/01__walk', 'DeepFakeDetection/01_02__walk__ABC']),
    );
    expect(ds.splits.test).toHaveLength(plain.splits.test.length + 2);
  });

  it('names the split file and the problem for invalid JSON and malformed entries', async () => {
    const bad = '[["000","001"],';
    const file = await writeText(root, 'splits/val.json', bad);
    await expect(loadFaceForensics(root)).rejects.toThrow(
      `FaceForensics++: split file ${file} is not valid JSON (${jsonError(bad)}).`,
    );
    await writeText(root, 'splits/val.json', '[["004","005"],["006"]]');
    await expect(readFaceForensicsSplit(file)).rejects.toThrow(
      `FaceForensics++: split file ${file}, entry 1 must be a pair of two different video ids like ["071","054"], ` +
        'but is ["006"].',
    );
    await writeText(root, 'splits/val.json', '{"pairs": []}');
    await expect(readFaceForensicsSplit(file)).rejects.toThrow(
      `FaceForensics++: split file ${file} must hold a JSON array of id pairs like [["071","054"], …], but holds object.`,
    );
    await rm(file);
    await expect(loadFaceForensics(root)).rejects.toThrow(
      new RegExp(`^FaceForensics\\+\\+: cannot read split file ${file}: ENOENT`),
    );
  });

  it('rejects an id listed in two splits', async () => {
    await writeText(root, 'splits/test.json', '[["006","001"]]');
    await expect(loadFaceForensics(root)).rejects.toThrow(
      `FaceForensics++: video id '001' is in two splits: ${join(root, 'splits/train.json')} and ` +
        `${join(root, 'splits/test.json')}.`,
    );
  });

  it('names a missing c40 file, or skips and counts the video with onMissing: skip', async () => {
    const missing = join(root, 'manipulated_sequences/Deepfakes/c40/videos/003_002.mp4');
    await rm(missing);
    await expect(loadFaceForensics(root)).rejects.toThrow(
      `FaceForensics++: missing c40 variant of Deepfakes/003_002: ${missing} does not exist ` +
        `(pass onMissing: 'skip' to leave such videos out).`,
    );
    const full = 4 + 2 * 4;
    const ds = await loadFaceForensics(root, { onMissing: 'skip' });
    expect(ds.skipped).toEqual([{ id: 'Deepfakes/003_002', split: 'train', quality: 'c40', path: missing }]);
    expect(ds.splits.train).toHaveLength(full - 1);
    // Without c40 nothing is missing.
    expect((await loadFaceForensics(root, { qualities: ['raw', 'c23'] })).splits.train).toHaveLength(full);
  });

  it('names an empty or missing folder', async () => {
    const dir = join(root, 'manipulated_sequences/FaceSwap/c23/videos');
    await rm(dir, { recursive: true });
    await touch(root, 'manipulated_sequences/FaceSwap/c23/videos/readme.txt');
    await expect(loadFaceForensics(root)).rejects.toThrow(
      `FaceForensics++: no .mp4 videos in ${dir} (the folder is missing or empty).`,
    );
    await rm(join(root, 'manipulated_sequences'), { recursive: true });
    await expect(loadFaceForensics(root)).rejects.toThrow(
      `FaceForensics++: no method folders in ${join(root, 'manipulated_sequences')} (the folder is missing or ` +
        'empty); pass methods: [] to read the originals only.',
    );
    await expect(loadFaceForensics(root, { onMissing: 'ignore' as 'skip' })).rejects.toThrow(
      `FaceForensics++: option 'onMissing' must be 'error' or 'skip', but got "ignore".`,
    );
  });
});
