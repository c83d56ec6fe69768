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
