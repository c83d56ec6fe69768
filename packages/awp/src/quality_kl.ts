import { checkNumQualities, qualityBlockRows, stopGradient } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link qualityKlDivergence} and {@link klAscent}. */
export interface QualityKlOptions {
  /** M ≥ 2: the number of quality blocks in the batch (raw plus M − 1 compressed). Required. */
  numQualities: number;
  /**
   * Index of the raw (highest-quality) block among the M. Default 0. Set it per batch when the block order
   * is shuffled, as in the authors' training.
   */
  rawBlock?: number;
  /** @deprecated The old name of `numQualities`; accepted for one minor release. */
  blocks?: number;
}

function checkedLayout(
  logits: unknown,
  options: unknown,
  op: string,
): { numQualities: number; rawBlock: number } {
  if (!(logits instanceof tf.Tensor)) {
    throw new TypeError(`Argument 'logits' passed to '${op}' must be a tf.Tensor.`);
  }
  if (logits.rank !== 2) {
    throw new Error(
      `Argument 'logits' passed to '${op}' must have rank 2 ([M·B, classes]), but got shape [${logits.shape.join(', ')}].`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Argument 'options' passed to '${op}' must be an object with 'numQualities'.`);
  }
  const { numQualities: given, blocks, rawBlock = 0 } = options as Partial<QualityKlOptions>;
  const numQualities = checkNumQualities(given ?? blocks, op);
  if (
    !(typeof rawBlock === 'number' && Number.isInteger(rawBlock) && rawBlock >= 0 && rawBlock < numQualities)
  ) {
    throw new Error(
      `Option 'rawBlock' passed to '${op}' must be an integer in [0, ${numQualities - 1}], but got ${String(rawBlock)}.`,
    );
  }
  qualityBlockRows(logits.shape[0]!, numQualities, op, 'logits');
  return { numQualities, rawBlock };
}

/**
 * The loss of AWP-KL (paper Table 4): `(1/(M−1)) Σ_{c ≠ raw} (1/B) Σ_i KL(p_raw,i ‖ p_c,i)`, with p the
 * softmax of each row, for logits laid out as M consecutive blocks of B rows (the same samples in the same
 * order in every block).
 *
 * The raw block is the **target and is detached** (stop-gradient): the gradient reaches only the compressed
 * blocks, so the ascent moves the compressed predictions away from the raw ones rather than both toward
 * each other. Zero when every block equals the raw one.
 *
 * @param logits - `[M·B, classes]`, unnormalised.
 * @returns a scalar ≥ 0.
 */
export function qualityKlDivergence(logits: tf.Tensor2D, options: QualityKlOptions): tf.Scalar {
  const { numQualities, rawBlock } = checkedLayout(logits, options, 'qualityKlDivergence');
  return tf.tidy(() => {
    const [n, classes] = logits.shape;
    const logProbs = tf.reshape(tf.logSoftmax(logits), [numQualities, n / numQualities, classes]);
    const rawLogProbs = stopGradient(
      tf.squeeze(tf.slice(logProbs, [rawBlock, 0, 0], [1, -1, -1]), [0]),
    ) as tf.Tensor2D;
    const compressedIndices = Array.from({ length: numQualities }, (_, m) => m).filter((m) => m !== rawBlock);
    // Slices, not tf.gather: gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks.
    const compressed = tf.concat(
      compressedIndices.map((m) => tf.slice(logProbs, [m, 0, 0], [1, -1, -1])),
      0,
    );
    const pointwise = tf.mul(tf.exp(rawLogProbs), tf.sub(rawLogProbs, compressed));
    return tf.mean(tf.sum(pointwise, -1)) as tf.Scalar;
  });
}

/**
 * AWP-KL's loss function for `AdversarialWeightPerturbation.calc`: runs the forward pass and returns
 * {@link qualityKlDivergence}. Needs no labels.
 *
 * @param logitsFn - the forward pass over the whole M·B batch, e.g.
 *   `() => model.apply(x, {training: true}) as tf.Tensor2D`.
 */
export function klAscent(logitsFn: () => tf.Tensor2D, options: QualityKlOptions): () => tf.Scalar {
  if (typeof logitsFn !== 'function') {
    throw new TypeError(`Argument 'logitsFn' passed to 'klAscent' must be a function returning logits.`);
  }
  return () => qualityKlDivergence(logitsFn(), options);
}
