import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { LeanBatchNormalization } from './batch_norm';
import { consumersOf, functionalJson, type LayerJson } from './model_json';
import { PaddedConv2D } from './padded_conv';
import { registerBackboneLayers } from './register_layers';
import { Swish } from './swish';

/** What {@link optimizeForTraining} changed. */
export interface OptimizeReport {
  /** `BatchNormalization` layers now trained with the closed-form gradient (`LeanBatchNormalization`). */
  batchNorms: string[];
  /** Convolutions whose preceding `ZeroPadding2D` was folded into them (`PaddedConv2D`), by conv name. */
  foldedPaddings: string[];
  /** `Activation('swish')` layers now {@link Swish} (one op with its closed-form gradient). */
  swishes: string[];
}

type Pair = [number, number];

/** `[[t, b], [l, r]]` from a ZeroPadding2D's `padding` config (a number, a pair, or a pair of pairs). */
function sides(padding: unknown): [Pair, Pair] | null {
  if (typeof padding === 'number')
    return [
      [padding, padding],
      [padding, padding],
    ];
  if (!Array.isArray(padding) || padding.length !== 2) return null;
  const [h, w] = padding as unknown[];
  const pair = (p: unknown): Pair | null =>
    typeof p === 'number' ? [p, p] : Array.isArray(p) && p.length === 2 ? [Number(p[0]), Number(p[1])] : null;
  const [ph, pw] = [pair(h), pair(w)];
  return ph === null || pw === null ? null : [ph, pw];
}

const square = (v: unknown): number | null => {
  if (typeof v === 'number') return v;
  return Array.isArray(v) && v.length === 2 && v[0] === v[1] ? Number(v[0]) : null;
};

/** The folded replacement of `conv` (a Conv2D or DepthwiseConv2D config) with `padding`, or null if it cannot fold. */
function foldable(conv: LayerJson, padding: [Pair, Pair]): LayerJson | null {
  const c = conv.config;
  const depthwise = conv.class_name === 'DepthwiseConv2D';
  if (conv.class_name !== 'Conv2D' && !depthwise) return null;
  const kernel = square(c.kernel_size);
  const strides = square(c.strides);
  const dilation = square(c.dilation_rate ?? 1);
  const plain =
    c.padding === 'valid' &&
    c.use_bias === false &&
    (c.activation === undefined || c.activation === 'linear') &&
    (c.data_format === undefined || c.data_format === 'channels_last') &&
    dilation === 1 &&
    (c.groups === undefined || c.groups === 1) &&
    (!depthwise || c.depth_multiplier === undefined || c.depth_multiplier === 1) &&
    c.kernel_regularizer == null &&
    c.kernel_constraint == null;
  if (!plain || kernel === null || strides === null) return null;
  return {
    ...conv,
    class_name: PaddedConv2D.className,
    config: {
      name: conv.name,
      trainable: c.trainable ?? true,
      ...(depthwise ? { depthwise: true } : { filters: c.filters }),
      kernel_size: kernel,
      strides,
      padding,
    },
  };
}

/**
 * Rewrites a functional tfjs-layers model for faster training, keeping its function and weights: every
 * `BatchNormalization` over the last axis trains with {@link LeanBatchNormalization}'s closed-form gradient (a
 * fused kernel on `@qad/backend-onednn`) instead of the ~30-op chain of `moments` + `batchNorm`, and every
 * `ZeroPadding2D` whose only consumer is a bias- and activation-free `'valid'` Conv2D / DepthwiseConv2D is
 * folded into it ({@link PaddedConv2D}: no `PadV2` forward, no `Slice` backward, no gradient over the padded
 * map), and every `Activation('swish')` becomes a {@link Swish} layer (one kernel each way on oneDNN instead of
 * sigmoid, multiply and their gradient chain). This is what a model written with stock layers, or converted from Keras, lacks against
 * `@qad/backbones`' own (`bench/train-step --stock --optimize` measures it). The model is rebuilt from its
 * JSON, so it must be serialisable; the original is left untouched (dispose it yourself).
 *
 * @example
 * ```ts
 * const { model: fast, report } = await optimizeForTraining(myKerasModel);
 * fast.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
 * console.log(report.batchNorms.length, report.foldedPaddings.length);
 * ```
 */
export async function optimizeForTraining(
  model: tfl.LayersModel,
): Promise<{ model: tfl.LayersModel; report: OptimizeReport }> {
  registerBackboneLayers();
  const topology = functionalJson(model, 'optimizeForTraining');
  const layers = topology.config.layers;
  const report: OptimizeReport = { batchNorms: [], foldedPaddings: [], swishes: [] };
  const consumers = consumersOf(layers);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const removed = new Set<string>();
  const rewritten = layers.map((layer) => {
    if (layer.class_name === 'BatchNormalization') report.batchNorms.push(layer.name);
    if (layer.class_name === 'Activation' && layer.config.activation === 'swish') {
      report.swishes.push(layer.name);
      return {
        ...layer,
        class_name: Swish.className,
        config: { name: layer.name, trainable: layer.config.trainable ?? true },
      };
    }
    if (layer.inbound_nodes.length !== 1 || layer.inbound_nodes[0]!.length !== 1) return layer;
    const source = byName.get(String(layer.inbound_nodes[0]![0]![0]));
    if (source?.class_name !== 'ZeroPadding2D' || (consumers.get(source.name) ?? []).length !== 1)
      return layer;
    if (
      source.inbound_nodes.length !== 1 ||
      (source.config.data_format ?? 'channels_last') !== 'channels_last'
    ) {
      return layer;
    }
    const padding = sides(source.config.padding);
    const folded = padding === null ? null : foldable(layer, padding);
    if (folded === null) return layer;
    removed.add(source.name);
    report.foldedPaddings.push(layer.name);
    return { ...folded, inbound_nodes: source.inbound_nodes };
  });
  topology.config.layers = rewritten.filter((l) => !removed.has(l.name));
  const lean =
    LeanBatchNormalization as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>;
  const optimized = await tfl.models.modelFromJSON(
    { modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] },
    {
      BatchNormalization: [lean, lean.fromConfig],
    } as unknown as tf.serialization.ConfigDict,
  );
  // Same layer names, same weight order per layer (the folded conv keeps its kernel, the pad had none).
  for (const layer of optimized.layers) {
    const weights = model.getLayer(layer.name).getWeights();
    if (weights.length > 0) layer.setWeights(weights);
  }
  return { model: optimized, report };
}
