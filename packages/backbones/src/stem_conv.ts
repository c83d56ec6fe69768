import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PaddedConv2D } from './padded_conv';

type Initializer = ReturnType<typeof tfl.initializers.varianceScaling>;

/** Constructor arguments of {@link StemConv2D}. */
export interface StemConv2DArgs {
  /** Output channels. */
  filters: number;
  /** Square kernel side. */
  kernelSize: number;
  /** Stride. */
  strides: number;
  /** Kernel initialiser. Default tfjs's glorot-uniform (a loaded model overwrites it anyway). */
  kernelInitializer?: Initializer;
  /** Layer name. */
  name?: string;
}

/**
 * The stem conv of models built before {@link PaddedConv2D} took its place: a bias-free, activation-free,
 * `'valid'` plain `tf.conv2d` after a separate `ZeroPadding2D` layer. Kept, with its serialisation name and
 * config, so that such saved models still load; it is a `PaddedConv2D` without padding.
 */
export class StemConv2D extends PaddedConv2D {
  /** Serialisation name; registered by `registerBackboneLayers`. */
  static override className = 'QadStemConv2D';

  constructor(args: StemConv2DArgs) {
    super({
      ...args,
      padding: [
        [0, 0],
        [0, 0],
      ],
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { padding: _padding, depthwise: _depthwise, ...config } = super.getConfig();
    return config;
  }
}
