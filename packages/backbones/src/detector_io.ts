import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Backbone } from './create_backbone';
import { loadHandler, type ModelLocation, saveHandler } from './model_location';
import { registerBackboneLayers } from './register_layers';

/**
 * Saves a trained detector (the classifier model of a backbone, or any LayersModel) in tfjs format.
 * `destination` is a directory or `file://` URL in Node (`model.json` + `weights.bin`, written atomically),
 * a browser URL (`indexeddb://qad`, `localstorage://qad`, `downloads://qad`), an `http(s)://` endpoint, or
 * any tfjs IOHandler.
 *
 * @example
 * ```ts
 * await saveDetector(net, '/tmp/qad-detector');   // Node
 * await saveDetector(net, 'indexeddb://qad');     // browser
 * ```
 */
export async function saveDetector(
  model: Backbone | tfl.LayersModel,
  destination: ModelLocation,
): Promise<tf.io.SaveResult> {
  const m = 'featureModel' in model ? model.model : model;
  return m.save(saveHandler(destination, 'saveDetector'));
}

/**
 * Loads a detector saved by {@link saveDetector} from the same kinds of location (a directory or
 * `model.json` path, a `file://`, `indexeddb://`, `localstorage://` or `http(s)://` URL, or an IOHandler).
 * To get taps again, build the same backbone with `createBackbone` and `loadTfjsWeights` into it instead.
 *
 * @param options tfjs load options, e.g. `requestInit` or `fetchFunc` for `http(s)://`.
 */
export async function loadDetector(
  source: ModelLocation,
  options?: tf.io.LoadOptions,
): Promise<tfl.LayersModel> {
  registerBackboneLayers();
  return tfl.loadLayersModel(loadHandler(source, 'loadDetector', options), options);
}
