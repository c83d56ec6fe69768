import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fresh temporary folder; `cleanup` removes it. */
export async function tempRoot(prefix: string): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), `qad-${prefix}-`));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Creates placeholder files (the adapters never read video bytes). */
export async function touch(root: string, ...paths: string[]): Promise<void> {
  for (const p of paths) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), 'x');
  }
}

/** Writes a text file, creating its folder. */
export async function writeText(root: string, path: string, text: string): Promise<string> {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

/** The message `JSON.parse` gives for `text` (engine-specific, so tests ask the engine). */
export function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('text is valid JSON');
}
