import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { requireCount } from './layer_args';

type Initializer = ReturnType<typeof tfl.initializers.glorotUniform>;
type Shape = Array<number | null>;

/** Constructor arguments of {@link DilatedConv2D}. */
export interface DilatedConv2DArgs {
  /** Output channels. */
  filters: number;
  /** Odd square kernel side before dilation (MesoInception-4: 3). */
  kernelSize: number;
  /** Dilation rate ≥ 1: the kernel's taps sit `dilation` pixels apart. */
  dilation: number;
  /** Apply ReLU to the output. Default `false`. */
  relu?: boolean;
  /** Kernel initialiser. Default glorot-uniform, as Keras's `Conv2D`. */
  kernelInitializer?: Initializer;
  /** Layer name. */
  name?: string;
}

/**
 * A stride-1 dilated convolution with bias and `'same'` (symmetric) padding, as Keras's
 * `Conv2D(dilation_rate=r, padding='same')`, that can be trained: tfjs-core's conv2d gradient rejects dilation
 * rates above 1, so the `k×k` kernel is spread, with zeros between its taps, into a dense
 * `((k − 1)·r + 1)²` kernel by differentiable ops and convolved without dilation. The layer stores only the
 * `k×k` kernel (`kernel`, HWIO, and `bias`, as Keras names them), so parameter counts and weight files are
 * those of the dilated layer.
 */
export class DilatedConv2D extends tfl.layers.Layer {
  /** Serialisation name; registered by `registerBackboneLayers`. */
  static className = 'QadDilatedConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly dilation: number;
  readonly relu: boolean;
  private readonly initializer: Initializer | undefined;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: DilatedConv2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.filters = requireCount(args.filters, 'DilatedConv2D', 'filters', 1);
    this.kernelSize = requireCount(args.kernelSize, 'DilatedConv2D', 'kernelSize', 1);
    if (this.kernelSize % 2 === 0) {
      throw new Error(
        `DilatedConv2D: kernelSize must be odd for symmetric 'same' padding, got ${args.kernelSize}`,
      );
    }
    this.dilation = requireCount(args.dilation, 'DilatedConv2D', 'dilation', 1);
    this.relu = args.relu ?? false;
    this.initializer = args.kernelInitializer;
  }

  /** @internal tfjs-layers creates the weights here on first use. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1] as number;
    const k = this.kernelSize;
    this.kernel = this.addWeight(
      'kernel',
      [k, k, channels, this.filters],
      'float32',
      this.initializer ?? tfl.initializers.glorotUniform({}),
    );
    this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** @internal tfjs-layers' shape inference hook, not part of this package's API. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [shape[0]!, shape[1]!, shape[2]!, this.filters];
  }

  /** The `k×k` kernel with `dilation − 1` zero rows and columns between its taps. */
  private spreadKernel(kernel: tf.Tensor4D): tf.Tensor4D {
    const r = this.dilation;
    if (r === 1) return kernel;
    const [k, , cin, cout] = kernel.shape;
    const spread = (k - 1) * r + 1;
    // [k, k, ci, co] → [k, 1, k, 1, ci, co], zero-pad the unit axes to r → [k·r, k·r, ci, co]; the last
    // r − 1 rows and columns are padding past the final tap.
    const padded = tf.pad(tf.reshape(kernel, [k, 1, k, 1, cin, cout]), [
      [0, 0],
      [0, r - 1],
      [0, 0],
      [0, r - 1],
      [0, 0],
      [0, 0],
    ]);
    return tf.slice(
      tf.reshape(padded, [k * r, k * r, cin, cout]),
      [0, 0, 0, 0],
      [spread, spread, cin, cout],
    ) as tf.Tensor4D;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const kernel = this.spreadKernel(this.kernel!.read() as tf.Tensor4D);
      const half = ((this.kernelSize - 1) * this.dilation) / 2;
      const y = tf.add(
        tf.conv2d(x, kernel, 1, [
          [0, 0],
          [half, half],
          [half, half],
          [0, 0],
        ]),
        this.bias!.read(),
      );
      return this.relu ? tf.relu(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      dilation: this.dilation,
      relu: this.relu,
    };
  }
}
