import type * as tfl from '@tensorflow/tfjs-layers';

/** A layer entry of a functional model's Keras-style (snake_case) JSON, as `model.toJSON(null, false)` gives it. */
export interface LayerJson {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  /** Per call node, the `[layerName, nodeIndex, tensorIndex, kwargs]` of each input. */
  inbound_nodes: unknown[][][];
}

/** A functional model's JSON topology. */
export interface FunctionalJson {
  class_name: string;
  config: { layers: LayerJson[]; output_layers?: unknown[][] };
}

/**
 * `model`'s JSON topology, for a rewrite that rebuilds it with `tfl.models.modelFromJSON`. Throws, naming `fn`,
 * for a Sequential model (its JSON has no graph to rewrite).
 */
export function functionalJson(model: tfl.LayersModel, fn: string): FunctionalJson {
  const topology = model.toJSON(null, false) as unknown as {
    class_name: string;
    config: { layers?: unknown };
  };
  if (topology.class_name === 'Sequential' || !Array.isArray(topology.config.layers)) {
    throw new Error(
      `'${fn}' rewrites functional models (tf.model); '${model.name}' is a ${topology.class_name}. ` +
        'Build it with tf.model({inputs, outputs}) instead.',
    );
  }
  return topology as FunctionalJson;
}

/** Layer name → the layers that read its output. */
export function consumersOf(layers: readonly LayerJson[]): Map<string, LayerJson[]> {
  const consumers = new Map<string, LayerJson[]>();
  for (const layer of layers) {
    for (const node of layer.inbound_nodes) {
      for (const inbound of node) {
        const from = String(inbound[0]);
        consumers.set(from, [...(consumers.get(from) ?? []), layer]);
      }
    }
  }
  return consumers;
}
