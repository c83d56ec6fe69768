import * as tfl from '@tensorflow/tfjs-layers';
import type { Backbone } from './create_backbone';
import { fileSystem } from './file_system_io';
import { registerBackboneLayers } from './register_layers';

/**
 * Saves a trained detector (the classifier model of a backbone, or any LayersModel) in tfjs format to
 * directory `dir` (`model.json` + `weights.bin`, written atomically).
 */
export async function saveDetector(model: Backbone | tfl.LayersModel, dir: string): Promise<void> {
  const m = 'featureModel' in model ? model.model : model;
  await m.save(fileSystem(dir));
}

/**
 * Loads a detector saved by {@link saveDetector} (or any tfjs LayersModel directory / `model.json` path).
 * To get taps again, build the same backbone with `createBackbone` and `loadTfjsWeights` into it instead.
 */
export async function loadDetector(path: string): Promise<tfl.LayersModel> {
  registerBackboneLayers();
  return tfl.loadLayersModel(fileSystem(path));
}
