import { atomicWrite } from '@qad/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assignWeights, type FileTensor, type LoadReport, type LoadWeightsOptions } from './assign_weights';
import type { Backbone } from './create_backbone';
import { encodeKerasLayers, type KerasLayerWeights, kerasRole, parseKerasWeights } from './keras_h5';
import { family, fileLayerNamer } from './layer_names';
import { readBytes } from './node_fs';
import { exportWeights, weightSlots } from './weight_slots';

/** What {@link loadKerasWeights} did. */
export interface KerasLoadReport extends LoadReport {
  /**
   * Conv biases (Keras keys, e.g. `conv1_conv/bias`) folded into the moving mean of the batch norm that
   * follows (keras.applications' ResNet convs have biases, these backbones' convs do not).
   */
  folded: string[];
  /**
   * The input normalisation stored in the file (a Keras `Normalization` layer, as in keras.applications'
   * EfficientNets), which these models leave to the caller; `null` when the file has none.
   */
  normalization: { layer: string; mean: number[]; variance: number[] } | null;
}

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D', 'QadStemConv2D', 'QadPaddedConv2D']);

/** Bias-free convs followed directly by a batch norm: `[conv layer, bn layer]`, by the model's names. */
function convBnPairs(model: tfl.LayersModel): Array<[tfl.layers.Layer, tfl.layers.Layer]> {
  const pairs: Array<[tfl.layers.Layer, tfl.layers.Layer]> = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const conv = layer.inboundNodes[0]?.inboundLayers[0];
    if (conv === undefined || !CONVS.has(conv.getClassName())) continue;
    if (conv.weights.some((w) => w.originalName.endsWith('/bias'))) continue;
    pairs.push([conv, layer]);
  }
  return pairs;
}

function unwrap(model: Backbone | tfl.LayersModel): { model: tfl.LayersModel; head?: string } {
  return 'featureModel' in model ? { model: model.model, head: model.headLayer } : { model };
}

const NORMALIZATION_ROLES = new Set(['mean', 'variance', 'count']);

/**
 * Loads a Keras HDF5 weight file of keras.applications' ResNet50 or EfficientNetB0/B1 into a `resnet50`,
 * `efficientnet_b0` or `efficientnet_b1` backbone. Reads both `model.save_weights('x.h5')` files and full
 * `model.save('x.h5')` files (weights under `/model_weights`), Keras 2 (`kernel:0`) or Keras 3's legacy
 * HDF5 writer. Layer names are mapped from Keras's (`conv2_block1_1_conv`, `block2a_expand_conv`, `top_bn`,
 * `predictions`) to the model's torchvision names; tensors need no transposition (Keras and tfjs share
 * layouts). Conv biases of Keras's ResNet are folded into the following batch norm's moving mean
 * (`moving_mean − bias`: exact in inference, and in training the batch statistics absorb the constant
 * shift). A Keras `Normalization` layer (EfficientNet's input normalisation) is not part of these models:
 * it is skipped and its statistics returned in `report.normalization`.
 *
 * Keras weights reproduce Keras's outputs only in a backbone built with `{variant: 'keras'}`; in the default
 * torchvision topology they are an initialisation (stride placement and padding differ, see the README).
 *
 * Checks every key and shape before writing anything; errors name the function and the file and list
 * missing, unexpected and mis-shaped keys (Keras names, `layer/weight` without `:0`).
 *
 * @param model A backbone (or its `model`).
 * @param source A path (Node) or the file's bytes (any runtime).
 * @param options `strict`, `skipHead` (leave out `predictions`, e.g. ImageNet's 1000 classes into a
 *   2-class detector), `ignore` (regexp on Keras keys).
 *
 * @example
 * ```ts
 * // Python: keras.applications.ResNet50(weights='imagenet').save_weights('resnet50.h5')
 * const net = createBackbone('resnet50', { variant: 'keras' });
 * const report = await loadKerasWeights(net, 'resnet50.h5', { skipHead: true });
 * ```
 */
export async function loadKerasWeights(
  model: Backbone | tfl.LayersModel,
  source: string | Uint8Array,
  options: LoadWeightsOptions = {},
): Promise<KerasLoadReport> {
  const fn = 'loadKerasWeights';
  const { model: m, head } = unwrap(model);
  const name = typeof source === 'string' ? source : `the given bytes (${source.length} bytes)`;
  // Mapping first: an unsupported architecture fails before the file is read.
  const kerasName = fileLayerNamer(m, 'keras', fn);
  const bytes = typeof source === 'string' ? await readBytes(source, fn) : source;
  const parsed = await parseKerasWeights(bytes, name, fn);
  const file: Record<string, FileTensor> = {};
  const preprocessing: string[] = [];
  let normalization: KerasLoadReport['normalization'] = null;
  for (const layer of parsed.layers) {
    const roles = layer.weights.map((w) => kerasRole(w.name));
    const isNormalization =
      roles.includes('mean') && roles.includes('variance') && roles.every((r) => NORMALIZATION_ROLES.has(r));
    layer.weights.forEach((w, i) => {
      const key = `${layer.name}/${roles[i]}`;
      if (isNormalization) preprocessing.push(key);
      else file[key] = { shape: w.shape, values: w.values };
    });
    if (isNormalization) {
      const get = (role: string) => Array.from(layer.weights[roles.indexOf(role)]!.values);
      normalization = { layer: layer.name, mean: get('mean'), variance: get('variance') };
    }
  }
  const folded: string[] = [];
  for (const [conv, bn] of convBnPairs(m)) {
    const biasKey = `${kerasName(conv.name)}/bias`;
    const meanKey = `${kerasName(bn.name)}/moving_mean`;
    const bias = file[biasKey];
    const mean = file[meanKey];
    if (bias === undefined || mean === undefined || bias.shape.join() !== mean.shape.join()) continue;
    // BN(conv(x) + b) with statistics (μ, σ²) equals BN(conv(x)) with (μ − b, σ²).
    const b = bias.values as Float32Array;
    file[meanKey] = { shape: mean.shape, values: (mean.values as Float32Array).map((v, i) => v - b[i]!) };
    delete file[biasKey];
    folded.push(biasKey);
  }
  const report = assignWeights(m, file, weightSlots(m, 'keras'), { headLayer: head, ...options }, fn, name);
  report.skipped.push(...preprocessing);
  return { ...report, folded, normalization };
}

/**
 * Encodes a `resnet50` / `efficientnet_b0` / `efficientnet_b1` backbone's weights as a Keras
 * `save_weights` HDF5 file with keras.applications' layer names (the inverse of {@link loadKerasWeights}).
 * ResNet convs get zero biases, since Keras's ResNet50 convs have them. Only layers with weights are listed;
 * load it in Keras with `model.load_weights(path, by_name=True)` (Keras's EfficientNet also has a
 * `Normalization` layer this file does not hold).
 */
export async function encodeKerasWeights(model: Backbone | tfl.LayersModel): Promise<Uint8Array> {
  const { model: m } = unwrap(model);
  const kerasName = fileLayerNamer(m, 'keras', 'exportKerasWeights');
  const tensors = exportWeights(m, 'keras');
  const layers = new Map<string, KerasLayerWeights>();
  for (const slot of weightSlots(m, 'keras')) {
    const layer = layers.get(slot.fileLayer) ?? { name: slot.fileLayer, weights: [] };
    layers.set(slot.fileLayer, layer);
    const t = tensors[slot.key]!;
    layer.weights.push({ name: `${slot.key}:0`, shape: t.shape, values: t.values });
  }
  if (family(new Set(m.layers.map((l) => l.name))) === 'bottleneck-resnet') {
    for (const [conv] of convBnPairs(m)) {
      const layer = layers.get(kerasName(conv.name))!;
      const filters = layer.weights[0]!.shape[3]!;
      layer.weights.push({
        name: `${layer.name}/bias:0`,
        shape: [filters],
        values: new Float32Array(filters),
      });
    }
  }
  return encodeKerasLayers([...layers.values()]);
}

/**
 * Writes {@link encodeKerasWeights}' file to `path` (Node), through a temporary file and a rename.
 *
 * @example
 * ```ts
 * await exportKerasWeights(net, 'resnet50_qad.h5');
 * // Python: keras.applications.ResNet50(weights=None, classes=2).load_weights('resnet50_qad.h5', by_name=True)
 * ```
 */
export async function exportKerasWeights(model: Backbone | tfl.LayersModel, path: string): Promise<void> {
  await atomicWrite(path, await encodeKerasWeights(model));
}
