import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type {
  BackboneInfo,
  BackboneName,
  BackboneOptions,
  BackboneVariant,
  ResolvedOptions,
} from './options';
import { registerBackboneLayers } from './register_layers';
import { REGISTRY } from './registry';
import { type BackboneSummary, summarize } from './summary';

/** Options of {@link Backbone.forward}. */
export interface ForwardOptions {
  /** Training mode: batch norm uses batch statistics, dropout and stochastic depth are active. Default `false`. */
  training?: boolean;
}

/** What {@link Backbone.forward} returns. */
export interface ForwardResult {
  /** `[N, numClasses]` logits. */
  logits: tf.Tensor2D;
  /** One NHWC feature map per configured tap. */
  features: Record<string, tf.Tensor4D>;
}

/** A built backbone: the classifier model, its taps and a forward pass that returns both. */
export interface Backbone {
  /** Registry name. */
  readonly name: BackboneName;
  /** The classifier: NHWC image `[N, S, S, 3]` → logits. Save and train this one. */
  readonly model: tfl.LayersModel;
  /** The same layers (shared weights) with outputs `[logits, ...taps]`, in the order of `tapNames`. */
  readonly featureModel: tfl.LayersModel;
  /** Square input size the model was built for. */
  readonly inputSize: number;
  /** Topology flavour it was built in. */
  readonly variant: BackboneVariant;
  /** Tap points `forward` returns under `features`, in order (the order of `featureModel`'s outputs). */
  readonly tapNames: readonly string[];
  /** Name of the classifier layer (`fc`, `classifier.1`, `classifier`, `last_linear`), left out by partial weight loads. */
  readonly headLayer: string;
  /** Static registry description. */
  readonly info: BackboneInfo;
  /** Runs the network once; returns logits and the tapped feature maps. Leaves no intermediate tensors. */
  forward(x: tf.Tensor4D, options?: ForwardOptions): ForwardResult;
  /** Parameter and multiply-add counts at `inputSize`. */
  summary(): BackboneSummary;
  /** Releases the weights. */
  dispose(): void;
}

function resolve(name: BackboneName, info: BackboneInfo, options: BackboneOptions): ResolvedOptions {
  const fn = 'createBackbone';
  const numClasses = options.numClasses ?? 2;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(
      `Argument 'options.numClasses' passed to '${fn}' must be a positive integer, got ${numClasses}.`,
    );
  }
  const inputSize = options.inputSize ?? info.inputSize;
  if (!Number.isInteger(inputSize) || inputSize < 32) {
    throw new Error(
      `Argument 'options.inputSize' passed to '${fn}' must be an integer ≥ 32, got ${inputSize}.`,
    );
  }
  const given = options.taps ?? info.defaultTaps;
  const taps = Array.isArray(given) ? [...given] : Object.keys(given);
  if (new Set(taps).size !== taps.length) {
    throw new Error(`Argument 'options.taps' passed to '${fn}' names a tap twice: ${taps.join(', ')}.`);
  }
  for (const tap of taps) {
    if (!info.tapPoints.includes(tap)) {
      throw new Error(
        `Argument 'options.taps' passed to '${fn}' names unknown tap '${tap}' for ${name}; ` +
          `available: ${info.tapPoints.join(', ')}.`,
      );
    }
  }
  const rate = (key: 'dropout' | 'dropConnectRate'): number => {
    const v = options[key] ?? info[key];
    if (!(v >= 0 && v < 1))
      throw new Error(`Argument 'options.${key}' passed to '${fn}' must be in [0, 1), got ${v}.`);
    return v;
  };
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) {
    throw new Error(`Argument 'options.seed' passed to '${fn}' must be a non-negative integer, got ${seed}.`);
  }
  const variant = options.variant ?? info.variants[0]!;
  if (!info.variants.includes(variant)) {
    throw new Error(
      `Argument 'options.variant' passed to '${fn}' must be one of ${info.variants.join(', ')} for ${name}, ` +
        `got '${variant}'` +
        (variant === 'keras' ? ' (keras.applications has no such model).' : '.'),
    );
  }
  const widthMultiplier = options.widthMultiplier ?? 1;
  if (!(Number.isFinite(widthMultiplier) && widthMultiplier > 0 && widthMultiplier <= 4)) {
    throw new Error(
      `Argument 'options.widthMultiplier' passed to '${fn}' must be in (0, 4], got ${widthMultiplier}.`,
    );
  }
  if (widthMultiplier !== 1 && !name.startsWith('resnet')) {
    throw new Error(
      `Argument 'options.widthMultiplier' passed to '${fn}' is only supported by the ResNets; ${name} has ` +
        (name.startsWith('efficientnet') ? 'its own width multiplier (efficientnet_b0 → b1).' : 'none.'),
    );
  }
  return {
    numClasses,
    inputSize,
    taps,
    dropout: rate('dropout'),
    dropConnectRate: rate('dropConnectRate'),
    seed,
    variant,
    widthMultiplier,
  };
}

/**
 * Builds a registered backbone with freshly initialised weights (load weights with `loadSafetensorsWeights`
 * or `loadTfjsWeights`). Inputs are NHWC float images, normalised as the weights expect (ImageNet mean/std
 * for torchvision weights).
 *
 * @param name One of {@link listBackbones}' names.
 * @param options See {@link BackboneOptions}.
 *
 * @example
 * ```ts
 * const net = createBackbone('resnet50');
 * const { logits, features } = net.forward(tf.zeros([1, 224, 224, 3]));
 * console.log(logits.shape, features.layer1.shape); // [1, 2] [1, 56, 56, 256]
 * ```
 */
export function createBackbone(name: BackboneName, options: BackboneOptions = {}): Backbone {
  const entry = REGISTRY[name];
  if (entry === undefined) {
    throw new Error(
      `Argument 'name' passed to 'createBackbone' must be one of ${Object.keys(REGISTRY).join(', ')}, got '${name}'.`,
    );
  }
  registerBackboneLayers();
  const resolved = resolve(name, entry.info, options);
  const graph = entry.build(resolved);
  const tapNames = resolved.taps;
  const model = tfl.model({ inputs: graph.input, outputs: graph.logits, name });
  const featureModel = tfl.model({
    inputs: graph.input,
    outputs: [graph.logits, ...tapNames.map((t) => graph.taps[t]!)],
    name: `${name}_features`,
  });
  return {
    name,
    model,
    featureModel,
    inputSize: resolved.inputSize,
    variant: resolved.variant,
    tapNames,
    headLayer: entry.head,
    info: entry.info,
    forward(x, forwardOptions = {}) {
      if (x.rank !== 4 || x.shape[3] !== 3) {
        throw new Error(
          `Argument 'x' passed to 'forward' must be NHWC [N, H, W, 3], got [${x.shape.join(', ')}].`,
        );
      }
      return tf.tidy(() => {
        const outs = featureModel.apply(x, { training: forwardOptions.training ?? false }) as tf.Tensor[];
        const features: Record<string, tf.Tensor4D> = {};
        tapNames.forEach((t, i) => {
          features[t] = outs[i + 1] as tf.Tensor4D;
        });
        return { logits: outs[0] as tf.Tensor2D, features };
      });
    },
    summary: () => summarize(model, entry.head),
    dispose: () => {
      model.dispose();
    },
  };
}
