import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWrite, tempSibling } from '../src';

describe('atomicWrite', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qad-core-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces a file whole and leaves no temporary file, creating parent folders', async () => {
    const path = join(dir, 'a', 'b', 'out.json');
    await atomicWrite(path, 'first');
    await atomicWrite(path, new TextEncoder().encode('second'));
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['out.json']);
  });

  it('names the file when it cannot write, and removes its temporary file', async () => {
    const blocker = join(dir, 'file');
    await writeFile(blocker, 'x');
    // A path below a regular file cannot be created.
    await expect(atomicWrite(join(blocker, 'out.txt'), 'y')).rejects.toThrow(
      `atomicWrite: cannot write '${join(blocker, 'out.txt')}'`,
    );
    // A destination that is a folder: the write of the temporary file succeeds, the rename fails.
    await expect(atomicWrite(dir, 'y', { mkdir: false })).rejects.toThrow(`cannot write '${dir}'`);
    expect(await readdir(dir)).toEqual(['file']);
  });

  it('tempSibling stays in the folder, hides the file and keeps the extension', () => {
    const a = tempSibling('/x/y/video.mp4');
    const b = tempSibling('/x/y/video.mp4');
    expect(a).toMatch(/^\/x\/y\/\.video\.[^/]+\.tmp\.mp4$/);
    expect(a).not.toBe(b);
    expect(tempSibling('plain')).toMatch(/^\.plain\.[^/]+\.tmp$/);
  });
});

describe('browser safety', () => {
  it('no source file imports node:* at module top level (only lazily, inside atomicWrite)', async () => {
    const src = join(import.meta.dirname, '..', 'src');
    const files = (await readdir(src)).filter((f) => f.endsWith('.ts'));
    let lazy = 0;
    for (const f of files) {
      const text = await readFile(join(src, f), 'utf8');
      expect(text).not.toMatch(/^\s*(import|export)\s+(?!type\b)[^;]*from\s+'node:/m);
      lazy += (text.match(/import\(\s*(?:\/\*[^*]*\*\/\s*)*'node:[^']+'\)/g) ?? []).length;
    }
    expect(lazy).toBe(2);
  });
});
