import { resolve } from 'node:path';
import type { Quality } from '@qad/core';

/**
 * Builds the quality → root map of a single-quality data set (Celeb-DF, FFIW10K): the data set's own files
 * under `quality`, plus user-made variants (for instance `transcodeVideo` copies at CRF 23/40) that mirror
 * the layout under other roots.
 */
export function variantRoots(
  name: string,
  root: string,
  quality: Quality | undefined,
  variants: Readonly<Partial<Record<Quality, string>>> | undefined,
): Map<Quality, string> {
  const own = quality ?? 'raw';
  if (typeof own !== 'string' || own === '' || /[/\\]/.test(own)) {
    throw new Error(
      `${name}: option 'quality' must be a plain quality name, but got ${JSON.stringify(own)}.`,
    );
  }
  const roots = new Map<Quality, string>([[own, resolve(root)]]);
  for (const [q, dir] of Object.entries(variants ?? {})) {
    if (roots.has(q)) {
      throw new Error(
        `${name}: option 'variants' names quality '${q}', which is the data set's own quality.`,
      );
    }
    if (typeof dir !== 'string' || dir === '') {
      throw new Error(
        `${name}: option 'variants.${q}' must be a folder path, but got ${JSON.stringify(dir)}.`,
      );
    }
    roots.set(q, resolve(dir));
  }
  return roots;
}
