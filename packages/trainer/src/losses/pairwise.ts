import type { TapFeatures } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Instance-based pairwise collaborative loss (paper Eq. 3, Table 4 "Pairwise loss"): for every pair of
 * quality views (τ, ρ) and every tap l, the Euclidean distance `‖z_l^τ − z_l^ρ‖` between the flattened
 * feature maps of the same sample, averaged over samples, weighted by the tap weight and summed over pairs
 * and taps — the direct constraint that the paper's HSIC relaxes.
 *
 * @param views - one `TapFeatures` (from `@qad/hsic`) per quality (same taps, same samples in the same order).
 */
export function pairwiseLoss(
  views: readonly TapFeatures[],
  tapWeights: Readonly<Record<string, number>>,
): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    for (const [tap, weight] of Object.entries(tapWeights)) {
      if (weight === 0) continue;
      for (let a = 0; a < views.length; a++) {
        for (let b = a + 1; b < views.length; b++) {
          const za = views[a]![tap]!;
          const zb = views[b]![tap]!;
          const diff = tf.reshape(tf.sub(za, zb), [za.shape[0]!, -1]);
          // +1e-12 keeps the gradient of the norm finite where two views coincide.
          const distance = tf.sqrt(tf.add(tf.sum(tf.square(diff), 1), 1e-12));
          total = tf.add(total, tf.mul(tf.mean(distance), weight));
        }
      }
    }
    return total as tf.Scalar;
  });
}
