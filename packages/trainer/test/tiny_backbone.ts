import * as tf from '@tensorflow/tfjs';
import type { TrainableBackbone } from '../src/trainable';

/** A tiny convnet with two tapped stages and batch norm, small enough for float-exact step comparisons. */
export function tinyBackbone(
  seed: number,
  inputSize = 8,
  tapWeights: Record<string, number> = { a: 0.5, b: 1 },
): TrainableBackbone & { tapWeights: Record<string, number> } {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 10 + s });
  const input = tf.input({ shape: [inputSize, inputSize, 3] });
  const c1 = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(1), name: 'c1' })
    .apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(c1) as tf.SymbolicTensor;
  const a = tf.layers.activation({ activation: 'relu', name: 'a' }).apply(bn) as tf.SymbolicTensor;
  const c2 = tf.layers
    .conv2d({
      filters: 6,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      kernelInitializer: init(2),
      name: 'c2',
    })
    .apply(a) as tf.SymbolicTensor;
  const b = tf.layers.activation({ activation: 'relu', name: 'b' }).apply(c2) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(b) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: 2, kernelInitializer: init(3), name: 'fc' })
    .apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  const all: Record<string, tf.SymbolicTensor> = { a, b };
  const names = Object.keys(tapWeights);
  const featureModel = tf.model({ inputs: input, outputs: [logits, ...names.map((n) => all[n]!)] });
  return {
    model,
    tapNames: names,
    tapWeights,
    inputSize,
    forward(x, options = {}) {
      return tf.tidy(() => {
        const outs = featureModel.apply(x, { training: options.training ?? false }) as tf.Tensor[];
        const features: Record<string, tf.Tensor> = {};
        names.forEach((n, i) => {
          features[n] = outs[i + 1]!;
        });
        return { logits: outs[0] as tf.Tensor2D, features };
      });
    },
  };
}

/** Copies every weight (trainable and batch-norm statistics) of `from` into `to`. */
export function copyWeights(from: TrainableBackbone, to: TrainableBackbone): void {
  to.model.setWeights(from.model.getWeights());
}

/** A paired batch of M quality blocks of B samples with random pixels. */
export function randomBatch(seed: number, qualities: string[], b: number, size = 8) {
  const m = qualities.length;
  const images = tf.randomNormal([m * b, size, size, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
  const base = Array.from({ length: b }, (_, i) => (i % 2) as 0 | 1);
  const labels = tf.tensor1d(
    qualities.flatMap(() => base),
    'int32',
  );
  let disposed = false;
  return {
    images,
    labels,
    qualities,
    batchSize: b,
    sampleIndices: Array.from({ length: b }, (_, i) => i),
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([images, labels]);
    },
  };
}
