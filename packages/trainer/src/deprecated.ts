import * as core from '@qad/core';
import * as hsic from '@qad/hsic';

// Moved out of @qad/trainer; kept one minor release.

/** @deprecated Import `centerLoss` from `@qad/hsic` (every collaborative loss lives there); this re-export goes in the next minor release. */
export const centerLoss = hsic.centerLoss;
/** @deprecated Import `pairwiseLoss` from `@qad/hsic`; this re-export goes in the next minor release. */
export const pairwiseLoss = hsic.pairwiseLoss;
/** @deprecated Import `softLabelLoss` from `@qad/hsic`; this re-export goes in the next minor release. */
export const softLabelLoss = hsic.softLabelLoss;
/** @deprecated The fused Adam kernel is `QadAdamUpdate` of `@qad/core`; this alias goes in the next minor release. */
export const ADAM_UPDATE_KERNEL = core.QadAdamUpdate;
/** @deprecated Import `RANDOM_JPEG_QUALITY` from `@qad/core`; this re-export goes in the next minor release. */
export const RANDOM_JPEG_QUALITY = core.RANDOM_JPEG_QUALITY;
