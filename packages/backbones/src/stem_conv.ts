import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type Initializer = ReturnType<typeof tfl.initializers.varianceScaling>;
type Shape = Array<number | null>;

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
 * A bias-free, activation-free, `'valid'` conv2d that calls the plain `tf.conv2d` op. `tf.layers.conv2d`
 * always goes through `tf.fused.conv2d`, whose custom gradient computes the input gradient eagerly even
 * when the input is a constant image: one `Conv2DBackpropInput` over the whole padded image per training
 * step. The plain op's gradient is pruned by the tape when its input does not lead to a variable. The kernel
 * is named `kernel` and laid out HWIO, like `tf.layers.conv2d`'s.
 */
export class StemConv2D extends tfl.layers.Layer {
  /** Serialisation name; registered by `registerBackboneLayers`. */
  static className = 'QadStemConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  private readonly initializer: Initializer | undefined;
  private kernel: tfl.LayerVariable | null = null;

  constructor(args: StemConv2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides;
    this.initializer = args.kernelInitializer;
  }

  /** @internal tfjs-layers creates the kernel here on first use. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1] as number;
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, this.kernelSize, channels, this.filters],
      'float32',
      this.initializer ?? tfl.initializers.glorotUniform({}),
    );
    this.built = true;
  }

  /** @internal tfjs-layers' shape inference hook, not part of this package's API. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const out = (d: number | null) =>
      d === null ? null : Math.floor((d - this.kernelSize) / this.strides) + 1;
    return [shape[0]!, out(shape[1]!), out(shape[2]!), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    return tf.conv2d(x, this.kernel!.read() as tf.Tensor4D, this.strides, 'valid');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
    };
  }
}
