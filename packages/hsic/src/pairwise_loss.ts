import type { TapFeatures } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import { weightedTapSum } from './weighted_tap_sum';

/**
 * Instance-based pairwise collaborative loss (paper Eq. 3, Table 4 "Pairwise loss"): for every pair of
 * quality views (τ, ρ) and every tap l, the Euclidean distance `‖z_l^τ − z_l^ρ‖` between the flattened
 * feature maps of the same sample, averaged over samples, weighted by the tap weight and summed over pairs
 * and taps — the direct constraint that the paper's HSIC relaxes.
 *
 * @param views - one {@link TapFeatures} per quality (same taps, same samples in the same order), e.g. from
 *   `splitQualityBlocks`.
 * @param tapWeights - weight per tap; taps weighted 0 are skipped (see `tapWeightsFor`).
 */
export function pairwiseLoss(
  views: readonly TapFeatures[],
  tapWeights: Readonly<Record<string, number>>,
): tf.Scalar {
  return weightedTapSum(views, tapWeights, 'pairwiseLoss', (perQuality) => {
    let sum: tf.Tensor = tf.scalar(0);
    for (let a = 0; a < perQuality.length; a++) {
      for (let b = a + 1; b < perQuality.length; b++) {
        const za = perQuality[a]!;
        const diff = tf.reshape(tf.sub(za, perQuality[b]!), [za.shape[0]!, -1]);
        // +1e-12 keeps the gradient of the norm finite where two views coincide.
        sum = tf.add(sum, tf.mean(tf.sqrt(tf.add(tf.sum(tf.square(diff), 1), 1e-12))));
      }
    }
    return sum as tf.Scalar;
  });
}
