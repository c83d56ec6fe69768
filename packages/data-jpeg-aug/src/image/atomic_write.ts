import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: the bytes go to a temporary file in the same directory, which is then renamed
 * over `path` (an atomic replace on POSIX file systems). Readers see the old file or the complete new one,
 * never a half-written one; on failure the temporary file is removed and the error names `path`.
 *
 * @param path - destination file; its directory must exist.
 * @param data - bytes or UTF-8 text.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new Error(`writeFileAtomic: cannot write '${path}': ${(error as Error).message}`);
  }
}
