import * as tf from '@tensorflow/tfjs-core';

function assertLogits(logits: unknown, op: string): asserts logits is tf.Tensor2D {
  if (!(logits instanceof tf.Tensor)) {
    throw new TypeError(`Argument 'logits' passed to '${op}' must be a tf.Tensor.`);
  }
  if (logits.rank !== 2) {
    throw new Error(
      `Argument 'logits' passed to '${op}' must have rank 2 ([N, classes]), but got shape [${logits.shape.join(', ')}].`,
    );
  }
}

function assertLabels(labels: unknown, logits: tf.Tensor2D, op: string): asserts labels is tf.Tensor {
  if (!(labels instanceof tf.Tensor)) {
    throw new TypeError(`Argument 'labels' passed to '${op}' must be a tf.Tensor.`);
  }
  const [n, classes] = logits.shape;
  const ok =
    (labels.rank === 1 && labels.shape[0] === n) ||
    (labels.rank === 2 && labels.shape[0] === n && labels.shape[1] === classes);
  if (!ok) {
    throw new Error(
      `Argument 'labels' passed to '${op}' must be class indices [${n}] or one-hot/probabilities [${n}, ${classes}] ` +
        `to match logits [${n}, ${classes}], but got shape [${labels.shape.join(', ')}].`,
    );
  }
}

/**
 * Mean softmax cross-entropy `−(1/N) Σ_i Σ_c y_ic · log softmax(z_i)_c` over all N rows — in QAD all M·B
 * images of the batch, every quality block alike.
 *
 * @param logits - `[N, classes]`, unnormalised.
 * @param labels - class indices `[N]` (cast to int32; an index outside `[0, classes)` contributes 0 — not
 *   checked, to avoid reading labels back from the backend), or one-hot / soft labels `[N, classes]`.
 * @returns a scalar, differentiable with respect to `logits`.
 */
export function meanCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  const op = 'meanCrossEntropy';
  assertLogits(logits, op);
  assertLabels(labels, logits, op);
  return tf.tidy(() => {
    const targets =
      labels.rank === 1 ? tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, logits.shape[1]) : labels;
    const logProbs = tf.logSoftmax(logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.cast(targets, 'float32'), logProbs), -1))) as tf.Scalar;
  });
}
