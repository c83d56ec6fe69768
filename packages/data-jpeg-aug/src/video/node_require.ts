import { createRequire } from 'node:module';

/**
 * A CommonJS `require` that works in both builds, made from this module's URL (tsup's `shims` supplies
 * `import.meta.url` in the CommonJS bundle). The bundler's own `require` stand-in cannot be used: in the
 * ESM bundle it exists but throws on dynamic requires. Used to load optional heavy or CommonJS-only
 * dependencies lazily.
 */
export function nodeRequire(): NodeJS.Require {
  return createRequire(import.meta.url);
}
