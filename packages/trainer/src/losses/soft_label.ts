import { stopGradient } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Soft-label collaborative loss (Song & Chai, NeurIPS 2018 — the paper's [47], Table 4 "Soft-label"): the
 * logits of the M quality views of each sample are averaged, softened at temperature T and detached to form
 * a shared soft target; each view is pulled toward it by `T² · KL(target ‖ softmax(logits/T))`, averaged
 * over views and samples.
 *
 * @param logits - `[M·B, classes]` as M consecutive quality blocks of the same B samples.
 */
export function softLabelLoss(logits: tf.Tensor2D, blocks: number, temperature = 2): tf.Scalar {
  return tf.tidy(() => {
    const [n, classes] = logits.shape;
    const views = tf.reshape(tf.div(logits, temperature), [blocks, n / blocks, classes]);
    const logTarget = stopGradient(tf.logSoftmax(tf.mean(views, 0)));
    const logP = tf.logSoftmax(views);
    const kl = tf.sum(tf.mul(tf.exp(logTarget), tf.sub(logTarget, logP)), -1);
    return tf.mul(tf.mean(kl), temperature * temperature) as tf.Scalar;
  });
}
