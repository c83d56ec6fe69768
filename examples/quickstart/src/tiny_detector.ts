import * as tf from '@tensorflow/tfjs';

/** A tiny detector whose hidden layers are tapped for the collaborative loss. */
export interface TinyDetector {
  readonly model: tf.LayersModel;
  /** Names of the tapped layers, in forward order. */
  readonly taps: readonly string[];
  /** Logits `[N, 2]` and the tapped features `{name: [N, units]}` of flattened images `[N, D]`. */
  forward(x: tf.Tensor2D, training: boolean): { logits: tf.Tensor2D; features: Record<string, tf.Tensor> };
  /** The model's trainable variables, for an optimizer. */
  variables(): tf.Variable[];
}

/**
 * A two-hidden-layer perceptron on flattened images. It stands in for a convnet backbone until
 * `@qad/backbones` and the wasm training kernels land: tfjs's pure-JS backend trains dense layers at a
 * usable speed but convolutions ~100× slower.
 */
export function createTinyDetector(inputSize: number, seed: number): TinyDetector {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed + offset });
  const input = tf.input({ shape: [inputSize] });
  const hidden1 = tf.layers
    .dense({ units: 64, activation: 'relu', kernelInitializer: init(1), name: 'hidden1' })
    .apply(input) as tf.SymbolicTensor;
  const hidden2 = tf.layers
    .dense({ units: 32, activation: 'relu', kernelInitializer: init(2), name: 'hidden2' })
    .apply(hidden1) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: 2, kernelInitializer: init(3), name: 'logits' })
    .apply(hidden2) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: [hidden1, hidden2, logits] });
  return {
    model,
    taps: ['hidden1', 'hidden2'],
    forward(x, training) {
      const [h1, h2, out] = model.apply(x, { training }) as tf.Tensor[];
      return { logits: out as tf.Tensor2D, features: { hidden1: h1!, hidden2: h2! } };
    },
    variables() {
      return model.trainableWeights.map((w) => w.read() as tf.Variable);
    },
  };
}
