import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { atomicWrite } from './atomic_write';

/** Options of {@link fileSystem}. */
export interface FileSystemOptions {
  /** Name of the weight shard written next to `model.json`. Default `'weights.bin'`. */
  weightsFile?: string;
}

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/**
 * A tfjs IOHandler over the Node file system, for `model.save(fileSystem(dir))` and
 * `tf.loadLayersModel(fileSystem(dir))`, where tfjs-node (and its `file://`) is not installed.
 *
 * `path` is a directory (it gets `model.json` and one weight shard) or a path ending in `.json`. Saving writes
 * the shard, then `model.json`, each through a temporary file and a rename: a crash leaves either the old
 * model or the complete new one. Loading reads every shard that `model.json` lists.
 */
export function fileSystem(path: string, options: FileSystemOptions = {}): tf.io.IOHandler {
  const modelPath = path.endsWith('.json') ? path : join(path, 'model.json');
  const dir = dirname(modelPath);
  const weightsFile = options.weightsFile ?? 'weights.bin';
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(
          `'fileSystem.save' writes JSON topologies only; ${modelPath} was given none or a binary one.`,
        );
      }
      const weightData =
        artifacts.weightData === undefined ? new ArrayBuffer(0) : toArrayBuffer(artifacts.weightData);
      await atomicWrite(join(dir, weightsFile), new Uint8Array(weightData));
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await atomicWrite(modelPath, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(modelPath, 'utf8'));
      } catch (error) {
        throw new Error(`'fileSystem.load' cannot read ${modelPath}: ${(error as Error).message}`);
      }
      if (json === null || typeof json !== 'object' || !Array.isArray(json.weightsManifest)) {
        throw new Error(
          `'fileSystem.load' cannot read ${modelPath}: it has no 'weightsManifest' (not a tfjs model.json).`,
        );
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = join(dir, p);
            const bytes = await readFile(file).catch((error: Error) => {
              throw new Error(`'fileSystem.load' cannot read weight shard ${file}: ${error.message}`);
            });
            buffers.push(
              bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
            );
          }
        }
        const data = tf.io.concatenateArrayBuffers(buffers);
        const needed = specs.reduce((sum, s) => sum + s.shape.reduce((p, d) => p * d, 1) * 4, 0);
        // Only float32 specs are sized here; other dtypes (rare in layers models) are left to tfjs to check.
        if (specs.every((s) => s.dtype === 'float32') && data.byteLength !== needed) {
          throw new Error(
            `'fileSystem.load' cannot read ${modelPath}: its shards hold ${data.byteLength} bytes but the manifest ` +
              `needs ${needed} (truncated or mismatched weight files).`,
          );
        }
        return [specs, data];
      });
    },
  };
}
