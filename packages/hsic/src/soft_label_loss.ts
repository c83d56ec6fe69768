import { qualityBlockRows, stopGradient } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Soft-label collaborative loss (Song & Chai, NeurIPS 2018 — the paper's [47], Table 4 "Soft-label"): the
 * logits of the M quality views of each sample are averaged, softened at temperature T and detached to form
 * a shared soft target; each view is pulled toward it by `T² · KL(target ‖ softmax(logits/T))`, averaged
 * over views and samples.
 *
 * @param logits - `[M·B, classes]` as M consecutive quality blocks of the same B samples.
 * @param numQualities - M.
 * @param temperature - T > 0. Default 2.
 */
export function softLabelLoss(logits: tf.Tensor2D, numQualities: number, temperature = 2): tf.Scalar {
  const op = 'softLabelLoss';
  if (!(logits instanceof tf.Tensor) || logits.rank !== 2) {
    throw new Error(`Argument 'logits' passed to '${op}' must be a rank-2 tf.Tensor [M·B, classes].`);
  }
  const rows = qualityBlockRows(logits.shape[0], numQualities, op, 'logits');
  if (!(temperature > 0))
    throw new Error(`Argument 'temperature' passed to '${op}' must be > 0, got ${temperature}.`);
  return tf.tidy(() => {
    const views = tf.reshape(tf.div(logits, temperature), [numQualities, rows, logits.shape[1]]);
    const logTarget = stopGradient(tf.logSoftmax(tf.mean(views, 0)));
    const logP = tf.logSoftmax(views);
    const kl = tf.sum(tf.mul(tf.exp(logTarget), tf.sub(logTarget, logP)), -1);
    return tf.mul(tf.mean(kl), temperature * temperature) as tf.Scalar;
  });
}
