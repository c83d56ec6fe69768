import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PairedIndex } from '@qad/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePairedIndex, readPairedIndex, writePairedIndex } from '../src/datasets';
import { jsonError, tempRoot, writeText } from './datasets_fixtures';

const frames = (q: string, names: string[]) => names.map((n) => `/data/${q}/${n}`);
const AUTHORS = {
  train: {
    raw: frames('raw', ['v1/0.png', 'v1/1.png', 'v2/0.png']),
    c23: frames('c23', ['v1/0.png', 'v1/1.png', 'v2/0.png']),
    c40: frames('c40', ['v1/0.png', 'v1/1.png', 'v2/0.png']),
    labels: [0, 0, 1],
  },
  val: {
    raw: frames('raw', ['v3/0.png']),
    c23: frames('c23', ['v3/0.png']),
    c40: frames('c40', ['v3/0.png']),
    labels: [1],
  },
  test: { raw: [], c23: [], c40: [], labels: [] },
};

describe('paired index JSON (the authors’ format)', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ root, cleanup } = await tempRoot('index'));
  });
  afterEach(() => cleanup());

  it('imports with videos derived from the frame folder, and exports without them', async () => {
    const file = await writeText(root, 'index.json', JSON.stringify(AUTHORS));
    const index = await readPairedIndex(file);
    expect(index.train.frames).toEqual({
      raw: AUTHORS.train.raw,
      c23: AUTHORS.train.c23,
      c40: AUTHORS.train.c40,
    });
    expect(index.train.labels).toEqual([0, 0, 1]);
    expect(index.train.videos).toEqual(['/data/raw/v1', '/data/raw/v1', '/data/raw/v2']);
    expect(index.test.videos).toEqual([]);
    expect((await readPairedIndex(file, { videos: 'path' })).val.videos).toEqual(['/data/raw/v3/0.png']);

    const out = join(root, 'out', 'exported.json');
    await writePairedIndex(out, index);
    // Round trip: the same object as the authors’ file, with videos dropped.
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(AUTHORS);
    expect(await readdir(join(root, 'out'))).toEqual(['exported.json']);
    expect(await readPairedIndex(out)).toEqual(index);
  });

  it('exports qualities in index order, then labels', async () => {
    const index: PairedIndex = {
      train: { frames: { c40: ['b'], raw: ['a'], c23: ['c'] }, labels: [1], videos: ['x'] },
      val: { frames: { c40: [], raw: [], c23: [] }, labels: [], videos: [] },
      test: { frames: { c40: [], raw: [], c23: [] }, labels: [], videos: [] },
    };
    const out = join(root, 'i.json');
    await writePairedIndex(out, index);
    expect(await readFile(out, 'utf8')).toBe(
      '{"train":{"c40":["b"],"raw":["a"],"c23":["c"],"labels":[1]},"val":{"c40":[],"raw":[],"c23":[],"labels":[]},' +
        '"test":{"c40":[],"raw":[],"c23":[],"labels":[]}}\n',
    );
    const bad = { ...index, val: { frames: { c40: ['z'], raw: [], c23: [] }, labels: [], videos: [] } };
    await expect(writePairedIndex(out, bad)).rejects.toThrow(
      `serializePairedIndex: split 'val', 'c40' has 1 entries but labels has 0.`,
    );
  });

  it('names the file, split, quality and index of every validation failure', async () => {
    const src = '/x/index.json';
    const clone = () => JSON.parse(JSON.stringify(AUTHORS));
    let j = clone();
    j.train.c40.pop();
    expect(() => parsePairedIndex(j, src)).toThrow(
      `Paired index /x/index.json: split 'train', 'c40' has 2 entries but "labels" has 3.`,
    );
    j = clone();
    j.train.labels[2] = 2;
    expect(() => parsePairedIndex(j, src)).toThrow(
      `Paired index /x/index.json: split 'train', labels[2] is 2 (must be 0 or 1).`,
    );
    j = clone();
    delete j.val.c23;
    expect(() => parsePairedIndex(j, src)).toThrow(
      `Paired index /x/index.json: split 'val' has no 'c23' list.`,
    );
    j = clone();
    j.val.c23[0] = 7;
    expect(() => parsePairedIndex(j, src)).toThrow(
      `Paired index /x/index.json: split 'val', c23[0] is number 7 (must be a path).`,
    );
    j = clone();
    delete j.test;
    expect(() => parsePairedIndex(j, src)).toThrow(`Paired index /x/index.json: split 'test' is missing.`);
    j = clone();
    j.test.jpeg = [];
    expect(() => parsePairedIndex(j, src)).toThrow(
      `Paired index /x/index.json: split 'test' has a 'jpeg' list that split 'train' lacks (qualities must match).`,
    );
    expect(() => parsePairedIndex(clone(), src, { qualities: ['raw', 'jpeg'] })).toThrow(
      `Paired index /x/index.json: split 'train' has no 'jpeg' list.`,
    );
    const file = await writeText(root, 'broken.json', '{"train": ');
    await expect(readPairedIndex(file)).rejects.toThrow(
      `Paired index ${file}: is not valid JSON (${jsonError('{"train": ')}).`,
    );
  });
});
