import * as tfl from '@tensorflow/tfjs-layers';
import { LeanBatchNormalization } from './batch_norm';
import { type ConvPadding, PaddedConv2D } from './padded_conv';
import { Swish } from './swish';

type T = tfl.SymbolicTensor;

/** Options of {@link LayerFactory.conv}. */
export interface ConvSpec {
  /** Output channels (ignored when `depthwise`). */
  filters: number;
  /** Square kernel side. */
  kernelSize: number;
  /** Stride. Default `1`. */
  strides?: number;
  /** Depthwise (one filter per channel, PyTorch `groups = channels`). Default `false`. */
  depthwise?: boolean;
  /** Add a bias. Default `false` (every conv here is followed by batch norm, except SE's). */
  useBias?: boolean;
  /** Activation fused into the conv, e.g. `'sigmoid'`. Default none. */
  activation?: 'relu' | 'swish' | 'sigmoid';
  /**
   * Symmetric zero padding on every side, for architectures that do not pad `(k − 1) / 2` (Xception's entry
   * convs pad 0). Default: the style's rule, see {@link LayerStyle.tfSamePadding}.
   */
  padding?: number;
}

/** Framework conventions a {@link LayerFactory} follows. */
export interface LayerStyle {
  /** Batch-norm epsilon: PyTorch 1e-5, Keras ResNet 1.001e-5, Keras EfficientNet 1e-3. */
  bnEpsilon: number;
  /** Batch-norm momentum in tfjs's convention (weight of the old moving value): PyTorch 0.1 → 0.9. */
  bnMomentum: number;
  /**
   * Pad stride-2 convs (k > 1) as TensorFlow's `'same'` / keras.applications' `correct_pad` do: on an even
   * input `k//2 − 1` before and `k//2` after. `false` pads `(k − 1) / 2` on both sides, as PyTorch.
   */
  tfSamePadding: boolean;
}

/** torchvision's conventions. */
export const TORCH_STYLE: LayerStyle = { bnEpsilon: 1e-5, bnMomentum: 0.9, tfSamePadding: false };

type Padding = number | [[number, number], [number, number]];

/**
 * Builds the layers of the backbones with torchvision's conventions (or Keras's, see {@link LayerStyle}),
 * naming each weighted layer after its torchvision module path (`layer1.0.conv1`, `features.2.0.block.1.0`)
 * so state dicts map one to one.
 */
export class LayerFactory {
  private seed: number;
  private readonly style: LayerStyle;

  /**
   * @param seed Model seed; weighted layers draw consecutive initialiser seeds from `1000 · seed + 1`.
   * @param style Padding and batch-norm conventions. Default torchvision's.
   */
  constructor(seed: number, style: LayerStyle = TORCH_STYLE) {
    // tfjs treats seed 0 as "unseeded" (`seed ? seed : Math.random()`), so the stream never starts at 0.
    this.seed = 1000 * seed + 1;
    this.style = style;
  }

  /** Zero padding before a `'valid'` conv of kernel `k` and stride `s` on `x`; 0 for none. */
  private padding(x: T, k: number, s: number): Padding {
    const pad = (k - 1) >> 1;
    if (!this.style.tfSamePadding || s === 1 || k === 1) return pad;
    // keras.applications' correct_pad: only an even side gets the lopsided padding.
    const side = (d: number | null): [number, number] =>
      d !== null && d % 2 === 0 ? [(k >> 1) - 1, k >> 1] : [k >> 1, k >> 1];
    return [side(x.shape[1] as number | null), side(x.shape[2] as number | null)];
  }

  /** The padding as `[[top, bottom], [left, right]]`: `override` on every side if given, else the style's rule. */
  private sides(x: T, k: number, s: number, override?: number): ConvPadding {
    const padding = override ?? this.padding(x, k, s);
    return typeof padding === 'number'
      ? [
          [padding, padding],
          [padding, padding],
        ]
      : padding;
  }

  private kernelInit(): ReturnType<typeof tfl.initializers.varianceScaling> {
    // torchvision initialises convs with kaiming_normal_(mode='fan_out').
    return tfl.initializers.varianceScaling({
      scale: 2,
      mode: 'fanOut',
      distribution: 'normal',
      seed: this.seed++,
    });
  }

  /**
   * A convolution with PyTorch's symmetric padding `(k − 1) / 2`. tfjs `'same'` pads asymmetrically for
   * stride 2 on even inputs (more on the bottom/right), which shifts every sampled window by one pixel
   * against PyTorch, so the padding is explicit (with {@link LayerStyle.tfSamePadding}, it pads as `'same'`
   * does instead): a {@link PaddedConv2D}, which folds it into the convolution, for the bias- and
   * activation-free convs with padding; tf.layers' conv (`'valid'`) where there is no padding (1×1) or where
   * a bias or activation is fused (after a `ZeroPadding2D` layer, should one need padding).
   */
  conv(x: T, name: string, spec: ConvSpec): T {
    const strides = spec.strides ?? 1;
    const padding = spec.padding ?? this.padding(x, spec.kernelSize, strides);
    const fused = (spec.useBias ?? false) || spec.activation !== undefined;
    if (padding !== 0 && !fused) {
      return new PaddedConv2D({
        ...(spec.depthwise ? { depthwise: true } : { filters: spec.filters }),
        kernelSize: spec.kernelSize,
        strides,
        padding: this.sides(x, spec.kernelSize, strides, spec.padding),
        name,
        kernelInitializer: this.kernelInit(),
      }).apply(x) as T;
    }
    const padded =
      padding === 0 ? x : (tfl.layers.zeroPadding2d({ padding, name: `${name}.pad` }).apply(x) as T);
    const common = {
      kernelSize: spec.kernelSize,
      strides,
      padding: 'valid' as const,
      useBias: spec.useBias ?? false,
      name,
      ...(spec.activation ? { activation: spec.activation } : {}),
    };
    const layer = spec.depthwise
      ? tfl.layers.depthwiseConv2d({ ...common, depthwiseInitializer: this.kernelInit() })
      : tfl.layers.conv2d({ ...common, filters: spec.filters, kernelInitializer: this.kernelInit() });
    return layer.apply(padded) as T;
  }

  /**
   * The first convolution, applied to the image: a {@link PaddedConv2D} (plain `tf.conv2d`), so a training
   * step does not compute the (unused) gradient of the image. Same padding rule and naming as
   * {@link LayerFactory.conv}.
   */
  stem(x: T, name: string, filters: number, kernelSize: number, strides: number, padding?: number): T {
    return new PaddedConv2D({
      filters,
      kernelSize,
      strides,
      padding: this.sides(x, kernelSize, strides, padding),
      name,
      kernelInitializer: this.kernelInit(),
    }).apply(x) as T;
  }

  /**
   * Batch norm with the style's epsilon and momentum (PyTorch's: eps 1e-5, momentum 0.1, which tfjs counts
   * the other way: 0.9), as a {@link LeanBatchNormalization} (a tfjs-layers BatchNormalization with a
   * cheaper training pass).
   */
  bn(x: T, name: string): T {
    return new LeanBatchNormalization({
      name,
      epsilon: this.style.bnEpsilon,
      momentum: this.style.bnMomentum,
    }).apply(x) as T;
  }

  /** An activation layer (no weights); swish is a {@link Swish} layer (one op with its closed-form gradient). */
  act(x: T, activation: 'relu' | 'swish' | 'sigmoid', name: string): T {
    if (activation === 'swish') return new Swish({ name }).apply(x) as T;
    return tfl.layers.activation({ activation, name }).apply(x) as T;
  }

  /** Global average pooling, then dropout when `rate > 0`, then the linear classifier named `name`. */
  head(x: T, numClasses: number, dropout: number, name: string): T {
    let h = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as T;
    if (dropout > 0) h = tfl.layers.dropout({ rate: dropout, name: 'head.dropout' }).apply(h) as T;
    // torchvision initialises the classifier from U(−1/√fan_in, 1/√fan_in).
    const fanIn = h.shape[h.shape.length - 1] as number;
    const limit = 1 / Math.sqrt(fanIn);
    return tfl.layers
      .dense({
        units: numClasses,
        name,
        kernelInitializer: tfl.initializers.randomUniform({
          minval: -limit,
          maxval: limit,
          seed: this.seed++,
        }),
        biasInitializer: tfl.initializers.randomUniform({ minval: -limit, maxval: limit, seed: this.seed++ }),
      })
      .apply(h) as T;
  }
}
