import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { consumersOf, functionalJson, type LayerJson } from './model_json';
import { registerBackboneLayers } from './register_layers';

/** What {@link optimizeForInference} changed. */
export interface InferenceReport {
  /** Convolutions that absorbed the batch norm after them (by conv name). */
  foldedBatchNorms: string[];
  /** Of those, the ones that also took the ReLU after the batch norm. */
  fusedRelus: string[];
}

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D', 'QadPaddedConv2D']);

function isPlainRelu(layer: LayerJson): boolean {
  const c = layer.config;
  if (layer.class_name === 'Activation') return c.activation === 'relu';
  if (layer.class_name !== 'ReLU') return false;
  return c.max_value == null && (c.negative_slope ?? 0) === 0 && (c.threshold ?? 0) === 0;
}

/**
 * Rewrites a trained model for inference: every batch norm that directly follows a convolution (and is its only
 * consumer) is folded into that convolution's kernel and bias — `w' = w·γ/√(σ² + ε)`,
 * `b' = (b − μ)·γ/√(σ² + ε) + β` with the moving statistics — and a ReLU right after it becomes the
 * convolution's activation, so `conv → BN → ReLU` runs as one `FusedConv2D` (bias and ReLU as oneDNN post-ops on
 * `@qad/backend-onednn`). Same outputs to float32 rounding; the model can no longer be trained as before (it has
 * no batch norm), so keep the original for training. Works on any serialisable functional tfjs-layers model,
 * this package's backbones (`net.model`, `net.featureModel`) included.
 *
 * @example
 * ```ts
 * const { model: fast, report } = await optimizeForInference(net.model);
 * const logits = fast.predict(images) as tf.Tensor;
 * ```
 */
export async function optimizeForInference(
  model: tfl.LayersModel,
): Promise<{ model: tfl.LayersModel; report: InferenceReport }> {
  registerBackboneLayers();
  const topology = functionalJson(model, 'optimizeForInference');
  const layers = topology.config.layers;
  const consumers = consumersOf(layers);
  const isOutput = (name: string) => (topology.config.output_layers ?? []).some((o) => o[0] === name);
  const only = (name: string): LayerJson | undefined => {
    const c = consumers.get(name) ?? [];
    return c.length === 1 && !isOutput(name) ? c[0] : undefined;
  };
  const report: InferenceReport = { foldedBatchNorms: [], fusedRelus: [] };
  /** Removed layer → the layer whose output replaces it. */
  const replacedBy = new Map<string, string>();
  const folds: Array<{ conv: string; bn: string }> = [];
  for (const conv of layers) {
    if (!CONVS.has(conv.class_name) || conv.inbound_nodes.length !== 1) continue;
    const bn = only(conv.name);
    if (bn === undefined || bn.class_name !== 'BatchNormalization' || bn.inbound_nodes.length !== 1) continue;
    const axis = bn.config.axis;
    if (axis !== -1 && axis !== 3 && !(Array.isArray(axis) && (axis[0] === -1 || axis[0] === 3))) continue;
    // A conv that already has an activation cannot take the batch norm after it.
    const activation = conv.config.activation ?? 'linear';
    if (activation !== 'linear') continue;
    const relu = only(bn.name);
    const fuseRelu = relu !== undefined && isPlainRelu(relu) && relu.inbound_nodes.length === 1;
    conv.config = { ...conv.config, use_bias: true, ...(fuseRelu ? { activation: 'relu' } : {}) };
    replacedBy.set(bn.name, conv.name);
    if (fuseRelu) replacedBy.set(relu.name, conv.name);
    folds.push({ conv: conv.name, bn: bn.name });
    report.foldedBatchNorms.push(conv.name);
    if (fuseRelu) report.fusedRelus.push(conv.name);
  }
  const target = (name: string): string => {
    let n = name;
    while (replacedBy.has(n)) n = replacedBy.get(n)!;
    return n;
  };
  // A removed layer's consumers read its replacement's output 0 (every layer rewritten here has one output).
  const remap = (ref: unknown[]): unknown[] =>
    replacedBy.has(String(ref[0])) ? [target(String(ref[0])), 0, 0, ...ref.slice(3)] : ref;
  topology.config.layers = layers
    .filter((l) => !replacedBy.has(l.name))
    .map((l) => ({ ...l, inbound_nodes: l.inbound_nodes.map((node) => node.map(remap)) }));
  if (topology.config.output_layers) topology.config.output_layers = topology.config.output_layers.map(remap);
  const optimized = await tfl.models.modelFromJSON({
    modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'],
  });
  const folded = new Map(folds.map((f) => [f.conv, f.bn]));
  for (const layer of optimized.layers) {
    const old = model.getLayer(layer.name).getWeights();
    const bnName = folded.get(layer.name);
    if (bnName === undefined) {
      if (old.length > 0) layer.setWeights(old);
      continue;
    }
    const bnLayer = model.getLayer(bnName);
    const bnConfig = bnLayer.getConfig() as { epsilon: number; center: boolean; scale: boolean };
    const weights = tf.tidy(() => {
      const bnWeights = bnLayer.getWeights();
      // tfjs-layers' order: [gamma?, beta?, movingMean, movingVariance].
      let k = 0;
      const gamma = bnConfig.scale ? bnWeights[k++]! : null;
      const beta = bnConfig.center ? bnWeights[k++]! : null;
      const [mean, variance] = [bnWeights[k]!, bnWeights[k + 1]!];
      let scale = tf.rsqrt(tf.add(variance, bnConfig.epsilon));
      if (gamma !== null) scale = tf.mul(scale, gamma);
      const kernel = old[0]!;
      // HWIO scales its last axis; a depthwise kernel [kh, kw, C, 1] its channel axis.
      const shaped = isDepthwiseLayer(layer) ? tf.reshape(scale, [1, 1, -1, 1]) : scale;
      const oldBias = old[1] ?? tf.zerosLike(mean);
      let bias = tf.mul(tf.sub(oldBias, mean), scale);
      if (beta !== null) bias = tf.add(bias, beta);
      return [tf.mul(kernel, shaped), bias];
    });
    layer.setWeights(weights);
    tf.dispose(weights);
  }
  return { model: optimized, report };
}

function isDepthwiseLayer(layer: tfl.layers.Layer): boolean {
  const config = layer.getConfig();
  return layer.getClassName() === 'DepthwiseConv2D' || config.depthwise === true;
}
