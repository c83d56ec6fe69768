import * as tf from '@tensorflow/tfjs-core';
import { fileSystem } from './file_system_io';

/**
 * Where a tfjs model is saved to or loaded from: any tfjs `IOHandler` (e.g. `tf.io.withSaveHandler`,
 * `tf.io.fromMemory`, `tf.io.browserFiles`), a URL that tfjs routes (`indexeddb://`, `localstorage://`,
 * `downloads://`, `http(s)://`), or — in Node — a `file://` URL or a plain path, served by {@link fileSystem}.
 */
export type ModelLocation = string | tf.io.IOHandler;

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * Turns a {@link ModelLocation} into what tfjs accepts: plain paths and `file://` URLs become a
 * {@link fileSystem} handler, other URLs are left for tfjs's router, handlers pass through. Nothing here
 * touches `node:fs` until a file-system handler is actually used.
 */
export function resolveLocation(location: ModelLocation): string | tf.io.IOHandler {
  if (typeof location !== 'string') return location;
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return fileSystem(location);
  if (scheme === 'file') return fileSystem(decodeURIComponent(location.slice('file://'.length)));
  return location;
}

function noRoute(fn: string, url: string, kind: 'save' | 'load'): Error {
  return new Error(
    `'${fn}' found no tfjs ${kind} handler for '${url}': indexeddb://, localstorage:// and downloads:// ` +
      'exist in browsers only, http(s):// needs fetch; in Node use a path or a file:// URL, or pass an IOHandler.',
  );
}

/** A save handler for `location`; errors name `fn` and the URL when tfjs has no route for it. */
export function saveHandler(location: ModelLocation, fn: string): tf.io.IOHandler {
  const resolved = resolveLocation(location);
  if (typeof resolved !== 'string') return resolved;
  const handler = tf.io.getSaveHandlers(resolved)[0];
  if (handler === undefined) throw noRoute(fn, resolved, 'save');
  return handler;
}

/** A load handler for `location`; errors name `fn` and the URL when tfjs has no route for it. */
export function loadHandler(
  location: ModelLocation,
  fn: string,
  options?: tf.io.LoadOptions,
): tf.io.IOHandler {
  const resolved = resolveLocation(location);
  if (typeof resolved !== 'string') return resolved;
  const handler = tf.io.getLoadHandlers(resolved, options)[0];
  if (handler === undefined) throw noRoute(fn, resolved, 'load');
  return handler;
}
