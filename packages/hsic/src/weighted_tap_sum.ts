import type { TapFeatures } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * `Σ_l w_l · perTap(views of tap l)` over the taps with a non-zero weight: the loop every instance-based
 * collaborative loss shares. Each view is one quality's {@link TapFeatures} (same taps, same samples in the
 * same order); `op` names the caller in errors.
 */
export function weightedTapSum(
  views: readonly TapFeatures[],
  tapWeights: Readonly<Record<string, number>>,
  op: string,
  perTap: (perQuality: tf.Tensor[]) => tf.Scalar,
): tf.Scalar {
  if (!Array.isArray(views) || views.length < 2) {
    throw new Error(`Argument 'views' passed to '${op}' must hold at least 2 quality views.`);
  }
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    for (const [tap, weight] of Object.entries(tapWeights)) {
      if (weight === 0) continue;
      const perQuality = views.map((v, m) => {
        const z = v[tap];
        if (z === undefined) throw new Error(`'${op}': quality view ${m} has no tap '${tap}'.`);
        return z;
      });
      total = tf.add(total, tf.mul(perTap(perQuality), weight));
    }
    return total as tf.Scalar;
  });
}
