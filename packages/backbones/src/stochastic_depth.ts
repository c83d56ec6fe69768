import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Constructor arguments of {@link StochasticDepth}. */
export interface StochasticDepthArgs {
  /** Probability of dropping a sample's residual branch in training, in [0, 1). */
  rate: number;
  /** Layer name. */
  name?: string;
}

/**
 * torchvision's `StochasticDepth(p, mode='row')`: in training, each sample's residual branch is zeroed with
 * probability `rate` and the survivors scaled by `1 / (1 − rate)`; at inference it is the identity. tfjs has
 * no such layer (its dropout drops elements, not whole samples).
 */
export class StochasticDepth extends tfl.layers.Layer {
  /** Serialisation name; registered by `registerBackboneLayers`. */
  static className = 'QadStochasticDepth';
  /** Drop probability. */
  readonly rate: number;

  constructor(args: StochasticDepthArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`Argument 'rate' passed to 'StochasticDepth' must be in [0, 1), got ${args.rate}.`);
    }
    this.rate = args.rate;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs.training || this.rate === 0) return x.clone();
    return tf.tidy(() => {
      const keep = 1 - this.rate;
      const shape = [x.shape[0]!, ...x.shape.slice(1).map(() => 1)];
      const mask = tf.floor(tf.add(tf.randomUniform(shape), keep));
      return tf.mul(x, tf.div(mask, keep));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
