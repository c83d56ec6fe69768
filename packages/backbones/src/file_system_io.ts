import { atomicWrite } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import { readBytes, requireNode } from './node_fs';

/** Options of {@link fileSystem}. */
export interface FileSystemOptions {
  /** Name of the weight shard written next to `model.json`. Default `'weights.bin'`. */
  weightsFile?: string;
}

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/** `model.json` path and directory of a `fileSystem` location (plain string work: no `node:path` import). */
function locate(path: string): { modelPath: string; dir: string } {
  const trimmed = path.replace(/[\\/]+$/, '');
  const modelPath = path.endsWith('.json') ? path : `${trimmed}/model.json`;
  const cut = Math.max(modelPath.lastIndexOf('/'), modelPath.lastIndexOf('\\'));
  return { modelPath, dir: cut < 0 ? '.' : modelPath.slice(0, cut) || '/' };
}

/**
 * A tfjs IOHandler over the Node file system, for `model.save(fileSystem(dir))` and
 * `tf.loadLayersModel(fileSystem(dir))`, where tfjs-node (and its `file://`) is not installed.
 *
 * `path` is a directory (it gets `model.json` and one weight shard) or a path ending in `.json`. Saving writes
 * the shard, then `model.json`, each through a temporary file and a rename: a crash leaves either the old
 * model or the complete new one. Loading reads every shard that `model.json` lists. `node:fs` is imported
 * when the handler is used, not when this module loads, so browser bundles do not need it.
 */
export function fileSystem(path: string, options: FileSystemOptions = {}): tf.io.IOHandler {
  const { modelPath, dir } = locate(path);
  const join = (p: string) => `${dir}/${p.replace(/^\.\//, '')}`;
  const weightsFile = options.weightsFile ?? 'weights.bin';
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      requireNode('fileSystem.save', modelPath);
      if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(
          `'fileSystem.save' writes JSON topologies only; ${modelPath} was given none or a binary one.`,
        );
      }
      const weightData =
        artifacts.weightData === undefined ? new ArrayBuffer(0) : toArrayBuffer(artifacts.weightData);
      await atomicWrite(join(weightsFile), new Uint8Array(weightData));
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
      const text = new TextDecoder().decode(await readBytes(modelPath, 'fileSystem.load'));
      try {
        json = JSON.parse(text);
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
            const file = join(p);
            const bytes = await readBytes(file, 'fileSystem.load').catch((error: Error) => {
              throw new Error(error.message.replace('cannot read', 'cannot read weight shard'));
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
