import type { Dataset, File, Group } from 'h5wasm';

type H5wasm = typeof import('h5wasm')['default'];

/** The h5wasm classes a reader needs for `instanceof` checks. */
export interface Hdf5Classes {
  Group: typeof Group;
  Dataset: typeof Dataset;
}

let loaded: Promise<{ h5: H5wasm; module: Awaited<H5wasm['ready']> }> | null = null;

/**
 * h5wasm, imported on first use: the wasm module (~4 MB) is never loaded by code that does not touch Keras
 * files. Its ESM build runs in Node and browsers alike and keeps files in Emscripten's in-memory file system,
 * so one code path serves paths (read with `node:fs`) and in-memory bytes.
 */
async function h5wasm(): Promise<{ h5: H5wasm; module: Awaited<H5wasm['ready']> }> {
  loaded ??= (async () => {
    const h5 = (await import('h5wasm')).default;
    return { h5, module: await h5.ready };
  })();
  return loaded;
}

let counter = 0;

/** HDF5 signature; the superblock sits at byte 0, 512, 1024, 2048, … of a file. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function hasSignature(bytes: Uint8Array): boolean {
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

/** h5wasm's throwing error handler raises the whole HDF5 error stack; its last `minor:` line says why. */
function isHdf5Error(error: unknown): boolean {
  return error instanceof Error && /HDF5-DIAG|major:|minor:/.test(error.message);
}

function hdf5Reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const minors = [...message.matchAll(/minor:\s*(.+)/g)].map((m) => m[1]!.trim());
  return minors.length > 0 ? `HDF5 error: ${minors.slice(-2).join('; ')}` : message;
}

/**
 * Opens HDF5 `bytes` read-only and runs `read` on the file. HDF5 errors (bad signature, truncation) become
 * one-line errors naming `fn` and `source`; errors thrown by `read` itself pass through unchanged.
 */
export async function readHdf5<R>(
  bytes: Uint8Array,
  source: string,
  fn: string,
  read: (file: File, classes: Hdf5Classes) => R,
): Promise<R> {
  if (!hasSignature(bytes)) {
    throw new Error(
      `'${fn}' cannot read ${source}: not an HDF5 file (${bytes.length} bytes, no HDF5 signature; ` +
        'Keras weight files start with \\x89HDF).',
    );
  }
  const { h5, module } = await h5wasm();
  const path = `/qad-read-${counter++}.h5`;
  module.FS.writeFile(path, bytes);
  // HDF5 prints its error stack to stderr and returns a bad id by default; the throwing handler turns it
  // into an exception instead. Switched back off afterwards: the module is shared with other h5wasm users.
  module.activate_throwing_error_handler();
  let file: File | null = null;
  try {
    file = new h5.File(path, 'r');
    return read(file, { Group: h5.Group, Dataset: h5.Dataset });
  } catch (error) {
    if (isHdf5Error(error)) throw new Error(`'${fn}' cannot read ${source}: ${hdf5Reason(error)}.`);
    throw error;
  } finally {
    try {
      file?.close();
    } catch {
      // The file is unusable after an HDF5 error; closing it may fail too and has nothing left to release.
    }
    module.deactivate_throwing_error_handler();
    module.FS.unlink(path);
  }
}

/** Creates an HDF5 file in memory, lets `write` fill it, and returns its bytes. */
export async function writeHdf5(write: (file: File) => void): Promise<Uint8Array> {
  const { h5, module } = await h5wasm();
  const path = `/qad-write-${counter++}.h5`;
  module.activate_throwing_error_handler();
  try {
    const file = new h5.File(path, 'w');
    try {
      write(file);
    } finally {
      file.close();
    }
    return module.FS.readFile(path);
  } finally {
    module.deactivate_throwing_error_handler();
    if (module.FS.analyzePath(path).exists) module.FS.unlink(path);
  }
}
