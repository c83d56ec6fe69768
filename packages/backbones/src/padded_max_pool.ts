import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { requireCount } from './layer_args';

type Shape = Array<number | null>;

/** Constructor arguments of {@link PaddedMaxPooling2D}. */
export interface PaddedMaxPooling2DArgs {
  /** Square window side. */
  poolSize: number;
  /** Stride. */
  strides: number;
  /** Padding on every side; padded cells never win (PyTorch's −∞ padding). */
  padding: number;
  /** Layer name. */
  name?: string;
}

/**
 * Max pooling with PyTorch's symmetric padding (`nn.MaxPool2d(k, s, padding)`), as one `tf.maxPool` with a
 * numeric pad. tf.layers' `maxPooling2d` only pads `'same'` (lopsided on even inputs), so the alternative is
 * a `ZeroPadding2D` layer + `'valid'` pooling, which costs a `PadV2` forward, a `Slice` backward and a
 * gradient over the padded map.
 */
export class PaddedMaxPooling2D extends tfl.layers.Layer {
  /** Serialisation name; registered by `registerBackboneLayers`. */
  static className = 'QadPaddedMaxPooling2D';
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: number;

  constructor(args: PaddedMaxPooling2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.poolSize = requireCount(args.poolSize, 'PaddedMaxPooling2D', 'poolSize', 1);
    this.strides = requireCount(args.strides, 'PaddedMaxPooling2D', 'strides', 1);
    this.padding = requireCount(args.padding, 'PaddedMaxPooling2D', 'padding', 0);
    if (2 * this.padding > this.poolSize) {
      // As PyTorch: otherwise a window could hold padding only.
      throw new Error(
        `PaddedMaxPooling2D: padding (${this.padding}) must be at most half the pool size (${this.poolSize})`,
      );
    }
  }

  /** @internal tfjs-layers' shape inference hook, not part of this package's API. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const out = (d: number | null) =>
      d === null ? null : Math.floor((d + 2 * this.padding - this.poolSize) / this.strides) + 1;
    return [shape[0]!, out(shape[1]!), out(shape[2]!), shape[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    return tf.maxPool(x, this.poolSize, this.strides, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}
