import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { resolveTapWeights } from './tap_weights';

/**
 * What the trainer needs from a model — `@qad/backbones`' `createBackbone` returns one, and any tfjs
 * LayersModel with tapped feature maps can be wrapped into one.
 */
export interface TrainableBackbone {
  /**
   * Registry name (`resnet50`, `efficientnet_b1`…), as `@qad/backbones` sets it: {@link train} takes its
   * unset hyper-parameters from this backbone's `authors` preset (`presetFor`). Without one, the ResNet preset.
   */
  readonly name?: string;
  /** The classifier; its trainable weights are optimised and perturbed, its weights are checkpointed. */
  readonly model: tfl.LayersModel;
  /** Names of the tapped feature maps `forward` returns (their loss weights: {@link resolveTapWeights}). */
  readonly tapNames: readonly string[];
  /** Square input size. */
  readonly inputSize: number;
  /** Logits and tapped feature maps for an NHWC batch. */
  forward(
    x: tf.Tensor4D,
    options?: { training?: boolean },
  ): { logits: tf.Tensor2D; features: Record<string, tf.Tensor> };
}

/** The model's trainable variables (what the optimizer updates). */
export function trainableVariables(backbone: TrainableBackbone): tf.Variable[] {
  return backbone.model.trainableWeights.map((w) => w.read() as tf.Variable);
}
