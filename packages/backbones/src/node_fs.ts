/** Whether this is Node (`process.versions.node`), where the file-system helpers work. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/**
 * Throws a clear error outside Node, naming `fn`: file paths need `node:fs`, which is imported lazily so
 * that browser bundles of this package never pull it in.
 */
export function requireNode(fn: string, what: string): void {
  if (!isNode()) {
    throw new Error(
      `'${fn}' needs Node's file system to reach ${what}; in a browser pass bytes, a tfjs IOHandler or a URL ` +
        '(indexeddb://, localstorage://, downloads://, http(s)://) instead.',
    );
  }
}

/**
 * Writes `data` to `path` through a temporary file in the same directory and a rename, so a crash or a
 * full disk never leaves a half-written weight file under the final name (rename is atomic on POSIX).
 * Node only (`node:fs` is imported on first use, not at module load).
 */
export async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  requireNode('atomicWrite', path);
  // The magic comments keep browser bundlers from trying to resolve Node built-ins they never run.
  const [{ randomBytes }, { mkdir, rename, rm, writeFile }, { dirname }] = await Promise.all([
    import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:crypto'),
    import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises'),
    import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path'),
  ]);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Reads a whole file (Node only; `node:fs` is imported on first use). Errors name `fn` and the file. */
export async function readBytes(path: string, fn: string): Promise<Uint8Array> {
  requireNode(fn, path);
  const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new Error(`'${fn}' cannot read ${path}: ${(error as Error).message}`);
  }
}
