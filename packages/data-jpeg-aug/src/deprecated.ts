import * as core from '@qad/core';

// The shared vocabulary moved to @qad/core. Kept one minor release.

/** @deprecated Import `Quality` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export type Quality = core.Quality;
/** @deprecated Import `Split` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export type Split = core.Split;
/** @deprecated Import `Label` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export type Label = core.Label;
/** @deprecated Import `PairedSplit` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export type PairedSplit = core.PairedSplit;
/** @deprecated Import `PairedIndex` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export type PairedIndex = core.PairedIndex;
/** @deprecated Import `PairedBatch` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export type PairedBatch = core.PairedBatch;
/** @deprecated Import `FFPP_QUALITIES` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export const FFPP_QUALITIES = core.FFPP_QUALITIES;
/** @deprecated Import `SPLITS` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export const SPLITS = core.SPLITS;
/** @deprecated Import `Rng` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export const Rng = core.Rng;
/** @deprecated Import `Rng` from `@qad/core`: moved there; this re-export goes in the next minor release. */
export type Rng = core.Rng;
/**
 * @deprecated Use `atomicWrite` from `@qad/core` (which also creates the folder); this alias goes in the next
 * minor release.
 */
export const writeFileAtomic = (path: string, data: Uint8Array | string): Promise<void> =>
  core.atomicWrite(path, data, { mkdir: false });
