import type { SymbolicTensor } from '@tensorflow/tfjs-layers';

/**
 * Names accepted by {@link createBackbone}, following timm / torchvision spelling: QAD's backbones, and the
 * detectors the paper compares with (`meso4`, `mesoinception4`: MesoNet; `xception`: FaceForensics++'s).
 */
export type BackboneName =
  | 'resnet18'
  | 'resnet34'
  | 'resnet50'
  | 'efficientnet_b0'
  | 'efficientnet_b1'
  | 'efficientnet_b4'
  | 'meso4'
  | 'mesoinception4'
  | 'xception';

/**
 * Topology flavour of a backbone. `'torchvision'` is the PyTorch layout (ResNet v1.5, symmetric padding,
 * BN eps 1e-5). `'keras'` is keras.applications' layout, for Keras `.h5` weights to reproduce Keras's
 * outputs: ResNet-50 v1 (stride on the first 1×1 conv of a stage, BN eps 1.001e-5) and EfficientNet with
 * TensorFlow's asymmetric padding of stride-2 convs and BN eps 1e-3. Layer names stay torchvision's either way.
 */
export type BackboneVariant = 'torchvision' | 'keras';

/** Options of {@link createBackbone}. Every field is optional; defaults are the paper's / torchvision's. */
export interface BackboneOptions {
  /** Number of output classes of the linear head. Default `2` (real / fake). */
  numClasses?: number;
  /**
   * Square input side in pixels. Default: the architecture's ImageNet size (224; 240 for EfficientNet-B1).
   * Any size ≥ 32 works: the network ends with global average pooling.
   */
  inputSize?: number;
  /**
   * Tap points whose feature maps `forward` returns under `features`, in this order. Default: the
   * architecture's {@link BackboneInfo.defaultTaps}. Tap names are listed in {@link BackboneInfo.tapPoints}.
   * Tap *weights* belong to the loss (`tapWeightsFor` in `@qad/hsic`); a map from tap name to weight (the
   * old form) is still accepted for its keys, deprecated.
   */
  taps?: readonly string[] | Readonly<Record<string, number>>;
  /**
   * Dropout rate before the classifier. Default `0` for ResNet (torchvision has none) and Xception
   * (FaceForensics++'s default), `0.2` for EfficientNet-B0/B1 (torchvision's value), `0.5` for MesoNet (both
   * of its dropout layers, the authors' value).
   */
  dropout?: number;
  /**
   * Stochastic-depth (drop-connect) rate of the last EfficientNet block; block i of n uses `rate · i / n`,
   * as in torchvision. Default `0.2` for EfficientNet; ignored by ResNet.
   */
  dropConnectRate?: number;
  /** Seed of the weight initialisers, for reproducible random weights. Default `0`. */
  seed?: number;
  /**
   * Topology flavour, see {@link BackboneVariant}. Default: the architecture's first
   * {@link BackboneInfo.variants} entry — `'torchvision'`, except for the MesoNets, which exist only as the
   * authors' Keras networks (`'keras'`). `'keras'` also exists for the architectures keras.applications has:
   * `resnet50`, `efficientnet_b0`, `efficientnet_b1`.
   */
  variant?: BackboneVariant;
  /**
   * ResNet only: multiplies the channel count of every layer (stem 64·m, stage widths 64·m·2ⁱ, rounded, at
   * least 8). Default `1`, the published architecture; pretrained weights need 1. Smaller values (e.g.
   * `0.25`, ~1/16 of the compute) make quick experiments from scratch possible on a CPU.
   */
  widthMultiplier?: number;
}

/** Static description of one registered architecture. */
export interface BackboneInfo {
  /** Registry name. */
  name: BackboneName;
  /** Default square input size in pixels. */
  inputSize: number;
  /** Trainable parameters without the classifier head, as torchvision counts them (BN statistics excluded). */
  params: number;
  /** Tap points QAD taps by default (their HSIC weights: `tapWeightsFor` in `@qad/hsic`). */
  defaultTaps: string[];
  /** Every tap name this architecture offers, in forward order. */
  tapPoints: string[];
  /** Default dropout before the classifier. */
  dropout: number;
  /** Default stochastic-depth rate (0 where the architecture has none). */
  dropConnectRate: number;
  /**
   * Topology flavours this architecture can be built in, the default first (`'keras'` only where
   * keras.applications or the authors' Keras code has it).
   */
  variants: BackboneVariant[];
}

/** What an architecture builder returns: the graph's input, logits and every tap point. */
export interface BuiltGraph {
  /** The image input, NHWC. */
  input: SymbolicTensor;
  /** Logits, `[N, numClasses]`. */
  logits: SymbolicTensor;
  /** Every tap point by name (see {@link BackboneInfo.tapPoints}). */
  taps: Record<string, SymbolicTensor>;
}

/** Fully resolved options handed to an architecture builder. */
export interface ResolvedOptions {
  numClasses: number;
  inputSize: number;
  taps: string[];
  dropout: number;
  dropConnectRate: number;
  seed: number;
  variant: BackboneVariant;
  widthMultiplier: number;
}
