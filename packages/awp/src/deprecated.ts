import * as core from '@qad/core';

// Moved to @qad/core (a step of training entered @qad/awp for these alone). Kept one minor release.

/** @deprecated Import `meanCrossEntropy` from `@qad/core`; this re-export goes in the next minor release. */
export const meanCrossEntropy = core.meanCrossEntropy;
/** @deprecated Import `freeTapeOnThrow` from `@qad/core`; this re-export goes in the next minor release. */
export const freeTapeOnThrow = core.freeTapeOnThrow;
/** @deprecated Import `stopGradient` from `@qad/core`; this re-export goes in the next minor release. */
export const stopGradient = core.stopGradient;
