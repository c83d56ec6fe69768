import * as core from '@qad/core';

/**
 * @deprecated Import `atomicWrite` from `@qad/core` (one helper for every package now); this re-export goes
 * in the next minor release.
 */
export const atomicWrite = core.atomicWrite;
