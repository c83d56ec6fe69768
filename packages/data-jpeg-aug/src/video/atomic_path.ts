import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';

/**
 * A hidden temporary sibling of `path` that keeps its extension (ffmpeg picks the container from it), so
 * the finished file can be renamed into place atomically (same directory, same file system).
 */
export function tempSibling(path: string): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  return join(dirname(path), `.${stem}.${randomBytes(6).toString('hex')}.tmp${ext}`);
}
