/** Whether this is Node (`process.versions.node`), where the file helpers work. */
function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

let uniqueCounter = 0;

/**
 * A hidden temporary sibling of `path` that keeps its extension (ffmpeg and sharp pick the format from it),
 * so the finished file can be renamed over `path` atomically (same directory, same file system). Unique per
 * process and call.
 */
export function tempSibling(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  const pid = isNode() ? (globalThis as unknown as { process: { pid: number } }).process.pid : 0;
  const unique = `${pid}.${(uniqueCounter++).toString(36)}.${Math.random().toString(36).slice(2, 8)}`;
  return `${dir}.${stem}.${unique}.tmp${ext}`;
}

/** Options of {@link atomicWrite}. */
export interface AtomicWriteOptions {
  /** Create the destination's directory (and parents) first. Default true. */
  mkdir?: boolean;
}

/**
 * Writes a file atomically: the bytes go to a temporary sibling of `path` (`tempSibling`), which is then renamed over
 * `path` (an atomic replace on POSIX), so readers see the old file or the complete new one and a crash or a
 * full disk never leaves a half-written file under the final name. On failure the temporary file is removed
 * and the error names `path`. Node only; `node:fs` is imported on first use, so browser bundles that import
 * this package never pull it in.
 */
export async function atomicWrite(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (!isNode()) {
    throw new Error(`'atomicWrite' needs Node's file system to write ${path}.`);
  }
  // The magic comments keep browser bundlers from trying to resolve Node built-ins they never run.
  const [{ mkdir, rename, rm, writeFile }, { dirname }] = await Promise.all([
    import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises'),
    import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path'),
  ]);
  const temp = tempSibling(path);
  try {
    if (options.mkdir ?? true) await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`atomicWrite: cannot write '${path}': ${(error as Error).message}`, { cause: error });
  }
}
