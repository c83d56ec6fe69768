import type { TapFeatures } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import { weightedTapSum } from './weighted_tap_sum';

/**
 * Center-loss collaborative alternative (Table 4 "Center loss"): each sample's M quality views of a tap are
 * pulled toward their mean (the sample's centre across qualities): `½ · mean_i Σ_τ ‖z_i^τ − c_i‖²`, with the
 * feature maps global-average-pooled to `[B, C]` so the scale does not grow with resolution; weighted by the
 * tap weight and summed over taps.
 *
 * @param views - one {@link TapFeatures} per quality (same taps, same samples in the same order).
 * @param tapWeights - weight per tap; taps weighted 0 are skipped (see `tapWeightsFor`).
 */
export function centerLoss(
  views: readonly TapFeatures[],
  tapWeights: Readonly<Record<string, number>>,
): tf.Scalar {
  return weightedTapSum(views, tapWeights, 'centerLoss', (perQuality) => {
    const pooled = perQuality.map((z) =>
      z.rank === 4 ? tf.mean(z, [1, 2]) : tf.reshape(z, [z.shape[0]!, -1]),
    );
    const stacked = tf.stack(pooled); // [M, B, C]
    const centre = tf.mean(stacked, 0, true);
    return tf.mul(tf.mean(tf.sum(tf.sum(tf.square(tf.sub(stacked, centre)), 2), 0)), 0.5) as tf.Scalar;
  });
}
