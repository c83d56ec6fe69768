import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCelebDF, loadFFIW, loadVideoFolder } from '../src/datasets';
import { celebDFGroup, splitByGroup } from '../src/datasets/celeb_df';
import { tempRoot, touch, writeText } from './datasets_fixtures';

const CELEB_REAL = [
  'id0_0000',
  'id0_0001',
  'id0_0002',
  'id1_0000',
  'id1_0001',
  'id2_0000',
  'id2_0001',
  'id3_0000',
];
const YOUTUBE = ['00000', '00001', '00002', '00003', '00004'];
const SYNTH = [
  'id0_id1_0000',
  'id0_id2_0001',
  'id1_id0_0000',
  'id1_id2_0001',
  'id2_id3_0000',
  'id3_id0_0000',
];
const LIST = ['1 YouTube-real/00000.mp4', '1 Celeb-real/id3_0000.mp4', '0 Celeb-synthesis/id3_id0_0000.mp4'];

async function buildCeleb(root: string, list = LIST): Promise<string> {
  await touch(
    root,
    ...CELEB_REAL.map((n) => `Celeb-real/${n}.mp4`),
    ...YOUTUBE.map((n) => `YouTube-real/${n}.mp4`),
    ...SYNTH.map((n) => `Celeb-synthesis/${n}.mp4`),
  );
  return writeText(root, 'List_of_testing_videos.txt', `${list.join('\n')}\n`);
}

describe('loadCelebDF', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ root, cleanup } = await tempRoot('celeb'));
  });
  afterEach(() => cleanup());

  it('puts the listed videos in test with inverted labels and splits the rest by identity', async () => {
    await buildCeleb(root);
    const ds = await loadCelebDF(root, { valFraction: 0.3, seed: 5 });
    expect(ds.qualities).toEqual(['raw']);
    expect(ds.splits.test.map((r) => [r.id, r.label, r.method])).toEqual([
      ['Celeb-real/id3_0000', 0, 'original'],
      ['Celeb-synthesis/id3_id0_0000', 1, 'Celeb-synthesis'],
      ['YouTube-real/00000', 0, 'original'],
    ]);
    expect(ds.splits.test[0]!.paths).toEqual({ raw: join(root, 'Celeb-real/id3_0000.mp4') });
    const rest = [...ds.splits.train, ...ds.splits.val];
    const total = CELEB_REAL.length + YOUTUBE.length + SYNTH.length;
    expect(rest).toHaveLength(total - 3);
    expect(new Set(rest.map((r) => r.id)).size).toBe(total - 3);
    expect(rest.filter((r) => r.label === 1)).toHaveLength(SYNTH.length - 1);
    // Identity-disjoint: no group on both sides.
    const group = (id: string) => celebDFGroup(id.split('/')[0]!, id.split('/')[1]!);
    const trainGroups = new Set(ds.splits.train.map((r) => group(r.id)));
    expect(ds.splits.val.some((r) => trainGroups.has(group(r.id)))).toBe(false);
    expect(ds.splits.val.length).toBeGreaterThanOrEqual(Math.round(0.3 * rest.length));
    // Seeded: the same seed gives the same split.
    expect((await loadCelebDF(root, { valFraction: 0.3, seed: 5 })).splits).toEqual(ds.splits);
    expect((await loadCelebDF(root, { valFraction: 0 })).splits.val).toEqual([]);
  });

  it('groups by the target identity; YouTube videos are their own group', () => {
    expect(celebDFGroup('Celeb-real', 'id12_0004')).toBe('id12');
    expect(celebDFGroup('Celeb-synthesis', 'id12_id3_0004')).toBe('id12');
    expect(celebDFGroup('YouTube-real', '00170')).toBe('YouTube-real/00170');
  });

  it('splitByGroup takes whole groups until val reaches round(fraction·n)', () => {
    const items = ['a1', 'a2', 'a3', 'b1', 'c1', 'c2', 'd1', 'e1', 'e2', 'e3'];
    for (const seed of [0, 1, 2, 3]) {
      const { train, val } = splitByGroup(items, (s) => s[0]!, 0.25, seed);
      expect([...train, ...val].sort()).toEqual(items);
      const valGroups = new Set(val.map((s) => s[0]));
      expect(train.some((s) => valGroups.has(s[0]))).toBe(false);
      // At least the target (3 of 10); and the last group taken started below it, so at most 3 - 1 + 3.
      expect(val.length).toBeGreaterThanOrEqual(3);
      expect(val.length).toBeLessThanOrEqual(5);
    }
  });

  it('reads user-made quality variants and names a missing variant file', async () => {
    await buildCeleb(root);
    const c23 = join(root, 'c23');
    const all = [
      ...CELEB_REAL.map((n) => `Celeb-real/${n}.mp4`),
      ...YOUTUBE.map((n) => `YouTube-real/${n}.mp4`),
      ...SYNTH.map((n) => `Celeb-synthesis/${n}.mp4`),
    ];
    await touch(c23, ...all);
    const ds = await loadCelebDF(root, { variants: { c23 } });
    expect(ds.qualities).toEqual(['raw', 'c23']);
    expect(ds.splits.test[1]!.paths).toEqual({
      raw: join(root, 'Celeb-synthesis/id3_id0_0000.mp4'),
      c23: join(c23, 'Celeb-synthesis/id3_id0_0000.mp4'),
    });
    await rm(join(c23, 'YouTube-real/00000.mp4'));
    await expect(loadCelebDF(root, { variants: { c23 } })).rejects.toThrow(
      `Celeb-DF v2: missing c23 variant of YouTube-real/00000: ${join(c23, 'YouTube-real/00000.mp4')} does not ` +
        `exist (pass onMissing: 'skip' to leave such videos out).`,
    );
  });

  it('names the test list line that is malformed or contradicts its folder, and an empty folder', async () => {
    const list = await buildCeleb(root, [...LIST.slice(0, 2), 'fake Celeb-synthesis/id3_id0_0000.mp4']);
    await expect(loadCelebDF(root)).rejects.toThrow(
      `Celeb-DF v2: test list ${list}, line 3: expected '<label> <folder>/<name>.mp4' with label 1 (real) or 0 ` +
        `(fake) and folder Celeb-real, YouTube-real or Celeb-synthesis, but got 'fake Celeb-synthesis/id3_id0_0000.mp4'.`,
    );
    await writeText(root, 'List_of_testing_videos.txt', '1 Celeb-synthesis/id3_id0_0000.mp4\n');
    await expect(loadCelebDF(root)).rejects.toThrow(
      `Celeb-DF v2: test list ${list}, line 1: label 1 (real) contradicts folder Celeb-synthesis.`,
    );
    await writeText(root, 'List_of_testing_videos.txt', '1 YouTube-real/99999.mp4\n');
    await expect(loadCelebDF(root)).rejects.toThrow(
      `Celeb-DF v2: missing raw variant of YouTube-real/99999: ${join(root, 'YouTube-real/99999.mp4')} does not exist`,
    );
    await rm(join(root, 'YouTube-real'), { recursive: true });
    await expect(loadCelebDF(root)).rejects.toThrow(
      `Celeb-DF v2: no .mp4 videos in ${join(root, 'YouTube-real')} (the folder is missing or empty).`,
    );
  });
});

describe('loadFFIW', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ root, cleanup } = await tempRoot('ffiw'));
    // train and test flat, val one level deeper (videos/), as some copies of the release are.
    await touch(
      root,
      'source/train/00001.mp4',
      'source/train/00002.mp4',
      'target/train/00001.mp4',
      'target/train/00002.mp4',
      'source/val/videos/00010.mp4',
      'target/val/videos/00010.mp4',
      'source/test/00020.mp4',
      'target/test/00020.mp4',
      'target/test/00021.mp4',
    );
  });
  afterEach(() => cleanup());

  it('labels source real and target fake, per split', async () => {
    const ds = await loadFFIW(root);
    const summary = (split: 'train' | 'val' | 'test') => ds.splits[split].map((r) => `${r.id}:${r.label}`);
    expect(summary('train')).toEqual([
      'source/train/00001:0',
      'source/train/00002:0',
      'target/train/00001:1',
      'target/train/00002:1',
    ]);
    expect(summary('val')).toEqual(['source/val/00010:0', 'target/val/00010:1']);
    expect(ds.splits.val[1]!.paths).toEqual({ raw: join(root, 'target/val/videos/00010.mp4') });
    expect(ds.splits.test.filter((r) => r.label === 1)).toHaveLength(2);
    expect(ds.splits.test[2]!.method).toBe('FFIW10K');
  });

  it('names a missing split folder; splits: [test] reads the test-only release', async () => {
    await rm(join(root, 'target/val'), { recursive: true });
    await expect(loadFFIW(root)).rejects.toThrow(
      `FFIW10K: no .mp4 videos in ${join(root, 'target/val')} (the folder is missing or empty).`,
    );
    const ds = await loadFFIW(root, { splits: ['test'] });
    expect(ds.splits.train).toEqual([]);
    expect(ds.splits.test).toHaveLength(3);
  });
});

describe('loadVideoFolder', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ root, cleanup } = await tempRoot('folder'));
    for (const q of ['raw', 'c23', 'jpeg50']) {
      await touch(
        root,
        `train/real/${q}/a.mp4`,
        `train/real/${q}/b.png`,
        `train/fake/${q}/c.mp4`,
        `val/real/${q}/d.mp4`,
        `test/fake/${q}/e.jpg`,
      );
    }
    await touch(root, 'train/real/raw/notes.txt');
  });
  afterEach(() => cleanup());

  it('discovers the qualities and reads videos and images per split and label', async () => {
    const ds = await loadVideoFolder(root);
    expect(ds.qualities).toEqual(['raw', 'c23', 'jpeg50']);
    expect(ds.splits.train.map((r) => `${r.id}:${r.label}:${r.method}`)).toEqual([
      'train/real/a:0:original',
      'train/real/b:0:original',
      'train/fake/c:1:fake',
    ]);
    expect(ds.splits.train[1]!.paths).toEqual({
      raw: join(root, 'train/real/raw/b.png'),
      c23: join(root, 'train/real/c23/b.png'),
      jpeg50: join(root, 'train/real/jpeg50/b.png'),
    });
    expect(ds.splits.val).toHaveLength(1);
    expect(ds.splits.test.map((r) => r.label)).toEqual([1]);
  });

  it('names a missing quality file and an empty split', async () => {
    await rm(join(root, 'train/fake/c23/c.mp4'));
    await expect(loadVideoFolder(root)).rejects.toThrow(
      `Video folder: missing c23 variant of train/fake/c: ${join(root, 'train/fake/c23/c.mp4')} does not exist ` +
        `(pass onMissing: 'skip' to leave such videos out).`,
    );
    const ds = await loadVideoFolder(root, { onMissing: 'skip', qualities: ['raw', 'c23'] });
    expect(ds.skipped.map((s) => s.id)).toEqual(['train/fake/c']);
    await rm(join(root, 'val'), { recursive: true });
    await expect(loadVideoFolder(root)).rejects.toThrow(
      `Video folder: ${join(root, 'val')} has neither a real/ nor a fake/ folder (the split folder is missing or empty).`,
    );
  });
});
