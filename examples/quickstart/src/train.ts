import {
  AdversarialWeightPerturbation,
  crossEntropyAscent,
  meanCrossEntropy,
  type Perturbation,
} from '@qad/awp';
import { collaborativeLoss, splitQualityBlocks } from '@qad/hsic';
import * as tf from '@tensorflow/tfjs';
import { permutation, seededRandom } from './random';
import { createTinyDetector, type TinyDetector } from './tiny_detector';
import { QUALITIES, type ToyFaces } from './toy_faces';

export interface TrainOptions {
  /** Name used in progress output and errors. */
  name: string;
  steps: number;
  /** B, images per quality in a batch; a batch holds M·B images. */
  batchPerQuality: number;
  learningRate: number;
  /** Weight α of the collaborative loss; 0 leaves it out. */
  alpha: number;
  /** AWP radius γ; 0 leaves AWP out. */
  gamma: number;
  /** Steps before AWP starts (the authors warm up for 3 epochs). */
  awpWarmupSteps: number;
  /** Per-tap weights of the collaborative loss. */
  tapWeights: Record<string, number>;
  seed: number;
  onProgress?: (progress: { step: number; loss: number; imagesPerSecond: number }) => void;
}

/** One mini-batch: M quality blocks of the same B images, block order shuffled (authors' layout). */
function makeBatch(
  data: ToyFaces,
  indices: number[],
  random: () => number,
): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const pixels = data.size * data.size * 3;
  const blocks = permutation(QUALITIES.length, random).map((q) => QUALITIES[q]!);
  const x = new Float32Array(blocks.length * indices.length * pixels);
  const y = new Int32Array(blocks.length * indices.length);
  let row = 0;
  for (const quality of blocks) {
    for (const i of indices) {
      x.set(data.images[quality].subarray(i * pixels, (i + 1) * pixels), row * pixels);
      y[row++] = data.labels[i]!;
    }
  }
  return { x: tf.tensor2d(x, [y.length, pixels]), y: tf.tensor1d(y, 'int32') };
}

/**
 * Trains a fresh tiny detector with paper Algorithm 1: per batch, one-step AWP on cross-entropy over all M·B
 * images → perturb → CE + α·HSIC at the perturbed weights → Adam step → restore. With α = γ = 0 this is the
 * mixed-quality cross-entropy baseline.
 */
export function train(data: ToyFaces, options: TrainOptions): TinyDetector {
  const random = seededRandom(options.seed);
  const detector = createTinyDetector(data.size * data.size * 3, options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const awp =
    options.gamma > 0 ? new AdversarialWeightPerturbation(detector.model, { gamma: options.gamma }) : null;
  const variables = detector.variables();
  let order: number[] = [];
  let started = Date.now();
  let reportedStep = 0;
  for (let step = 1; step <= options.steps; step++) {
    if (order.length < options.batchPerQuality) order = permutation(data.count, random);
    const { x, y } = makeBatch(data, order.splice(0, options.batchPerQuality), random);
    let perturbation: Perturbation | undefined;
    if (awp && step > options.awpWarmupSteps) {
      perturbation = awp.calc(crossEntropyAscent(() => detector.forward(x, true).logits, y));
    }
    const descend = () =>
      optimizer.minimize(
        () => {
          const { logits, features } = detector.forward(x, true);
          const ce = meanCrossEntropy(logits, y);
          if (options.alpha === 0) return ce;
          const col = collaborativeLoss(splitQualityBlocks(features, QUALITIES.length), {
            tapWeights: options.tapWeights,
            validate: false,
          });
          return tf.add(ce, tf.mul(col, options.alpha)) as tf.Scalar;
        },
        true,
        variables,
      );
    const loss =
      awp && perturbation ? (awp.withPerturbation(perturbation, descend) as tf.Scalar | null) : descend();
    perturbation?.dispose();
    const lossValue = loss?.dataSync()[0] ?? Number.NaN;
    tf.dispose([x, y, loss as tf.Tensor]);
    if (!Number.isFinite(lossValue))
      throw new Error(`${options.name}: loss became ${lossValue} at step ${step}.`);
    if (options.onProgress && (step % 50 === 0 || step === options.steps)) {
      const seconds = (Date.now() - started) / 1000;
      options.onProgress({
        step,
        loss: lossValue,
        imagesPerSecond: ((step - reportedStep) * options.batchPerQuality * QUALITIES.length) / seconds,
      });
      started = Date.now();
      reportedStep = step;
    }
  }
  optimizer.dispose();
  return detector;
}

/** Probability of "fake" for every image of one quality of `data`. */
export function predictFake(
  detector: TinyDetector,
  data: ToyFaces,
  quality: (typeof QUALITIES)[number],
): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor2d(data.images[quality], [data.count, data.size * data.size * 3]);
    const { logits } = detector.forward(x, false);
    return tf.softmax(logits).slice([0, 1], [-1, 1]).dataSync() as Float32Array;
  });
}
