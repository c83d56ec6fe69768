import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * A model sharing `model`'s layers whose output is the input of its last dense layer — the pooled feature
 * vector the classifier sees (for the t-SNE of paper Fig. 5).
 *
 * @throws when the model has no dense layer.
 */
export function embeddingModel(model: tfl.LayersModel): tfl.LayersModel {
  const dense = [...model.layers].reverse().find((l) => l.getClassName() === 'Dense');
  if (dense === undefined)
    throw new Error(`embeddingModel: model '${model.name}' has no Dense layer to take the features from.`);
  return tfl.model({
    inputs: model.inputs,
    outputs: dense.input as tfl.SymbolicTensor,
    name: `${model.name}_embedding`,
  });
}

/** Pooled features of `images` as host rows. Leaves no tensors behind. */
export async function embed(embedding: tfl.LayersModel, images: tf.Tensor4D): Promise<Float32Array[]> {
  const out = embedding.predict(images) as tf.Tensor2D;
  const [n, d] = out.shape;
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return Array.from({ length: n }, (_, i) => values.slice(i * d, (i + 1) * d));
}
