import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { requireCount } from './layer_args';

type Initializer = ReturnType<typeof tfl.initializers.varianceScaling>;
type Shape = Array<number | null>;

/** Zero padding of the rows `[top, bottom]` and columns `[left, right]`. */
export type ConvPadding = [[number, number], [number, number]];

/** Constructor arguments of {@link PaddedConv2D}. */
export interface PaddedConv2DArgs {
  /** Output channels; required unless `depthwise` (which keeps the input's channels). */
  filters?: number;
  /** Square kernel side. */
  kernelSize: number;
  /** Stride. */
  strides: number;
  /** Zero padding around the input, which may differ per side (PyTorch pads symmetrically, Keras not). */
  padding: ConvPadding;
  /** One filter per input channel (PyTorch `groups = channels`). Default `false`. */
  depthwise?: boolean;
  /** Kernel initialiser. Default tfjs's glorot-uniform (a loaded model overwrites it anyway). */
  kernelInitializer?: Initializer;
  /**
   * Add a per-channel bias (weight `bias`). Default `false`: the convs of a backbone are followed by batch
   * norm; `optimizeForInference` folds that batch norm into the kernel and this bias.
   */
  useBias?: boolean;
  /** `'relu'` applies ReLU to the output (fused into the convolution where the backend can). Default `'linear'`. */
  activation?: 'linear' | 'relu';
  /** Layer name. */
  name?: string;
}

/**
 * A conv2d (or depthwise conv2d) with explicit zero padding — bias- and activation-free unless `useBias` /
 * `activation` say otherwise — calling the plain
 * `tf.conv2d` / `tf.depthwiseConv2d` ops with `[[0, 0], [top, bottom], [left, right], [0, 0]]` padding.
 *
 * Why not `ZeroPadding2D` + a `'valid'` `tf.layers.conv2d`, which computes the same thing: the padding layer
 * costs a `PadV2` forward and a `Slice` backward per conv, and the input gradient is computed for the whole
 * padded map (on a 4×4 map with padding 1, 36 positions instead of 16). And `tf.layers.conv2d` always goes
 * through `tf.fused.conv2d`, whose custom gradient computes the input gradient even when the input is a
 * constant image; the plain op's gradient is pruned by the tape then. Weights are named and laid out as
 * tf.layers' (`kernel` HWIO, `depthwise_kernel` `[kh, kw, C, 1]`), so weight files map unchanged.
 */
export class PaddedConv2D extends tfl.layers.Layer {
  /** Serialisation name; registered by `registerBackboneLayers`. */
  static className = 'QadPaddedConv2D';
  readonly filters: number | null;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: ConvPadding;
  readonly depthwise: boolean;
  readonly useBias: boolean;
  readonly activation: 'linear' | 'relu';
  private readonly initializer: Initializer | undefined;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: PaddedConv2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.depthwise = args.depthwise ?? false;
    this.filters = this.depthwise ? null : requireCount(args.filters, 'PaddedConv2D', 'filters', 1);
    this.kernelSize = requireCount(args.kernelSize, 'PaddedConv2D', 'kernelSize', 1);
    this.strides = requireCount(args.strides, 'PaddedConv2D', 'strides', 1);
    const p = args.padding;
    if (!Array.isArray(p) || p.length !== 2 || p.some((side) => !Array.isArray(side) || side.length !== 2)) {
      throw new Error(
        `PaddedConv2D: padding must be [[top, bottom], [left, right]], got ${JSON.stringify(args.padding)}`,
      );
    }
    for (const v of p.flat()) requireCount(v, 'PaddedConv2D', 'each padding', 0);
    this.padding = [
      [p[0][0], p[0][1]],
      [p[1][0], p[1][1]],
    ];
    this.initializer = args.kernelInitializer;
    this.useBias = args.useBias ?? false;
    this.activation = args.activation ?? 'linear';
    if (this.activation !== 'linear' && this.activation !== 'relu') {
      throw new Error(`PaddedConv2D: activation must be 'linear' or 'relu', got ${String(args.activation)}`);
    }
  }

  /** @internal tfjs-layers creates the kernel here on first use. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1] as number;
    const k = this.kernelSize;
    this.kernel = this.addWeight(
      this.depthwise ? 'depthwise_kernel' : 'kernel',
      this.depthwise ? [k, k, channels, 1] : [k, k, channels, this.filters!],
      'float32',
      this.initializer ?? tfl.initializers.glorotUniform({}),
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        'bias',
        [this.depthwise ? channels : this.filters!],
        'float32',
        tfl.initializers.zeros(),
      );
    }
    this.built = true;
  }

  /** @internal tfjs-layers' shape inference hook, not part of this package's API. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const out = (d: number | null, [before, after]: [number, number]) =>
      d === null ? null : Math.floor((d + before + after - this.kernelSize) / this.strides) + 1;
    const channels = this.depthwise ? shape[3]! : this.filters;
    return [shape[0]!, out(shape[1]!, this.padding[0]), out(shape[2]!, this.padding[1]), channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const kernel = this.kernel!.read() as tf.Tensor4D;
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], this.padding[0], this.padding[1], [0, 0]];
    if (!this.useBias && this.activation === 'linear') {
      return this.depthwise
        ? tf.depthwiseConv2d(x, kernel, this.strides, pad)
        : tf.conv2d(x, kernel, this.strides, pad);
    }
    const bias = this.bias?.read();
    if (!this.depthwise) {
      // One FusedConv2D: bias and ReLU become the convolution's post-ops on backends that have them.
      return tf.fused.conv2d({
        x,
        filter: kernel,
        strides: this.strides,
        pad,
        bias,
        activation: this.activation,
      });
    }
    return tf.tidy(() => {
      const y = tf.depthwiseConv2d(x, kernel, this.strides, pad);
      const biased = bias === undefined ? y : tf.add(y, bias);
      return this.activation === 'relu' ? tf.relu(biased) : biased;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ...(this.filters === null ? {} : { filters: this.filters }),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      depthwise: this.depthwise,
      ...(this.useBias ? { useBias: true } : {}),
      ...(this.activation === 'relu' ? { activation: 'relu' } : {}),
    };
  }
}
