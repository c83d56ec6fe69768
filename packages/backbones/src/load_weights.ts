import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assignWeights, type FileTensor, type LoadReport, type LoadWeightsOptions } from './assign_weights';
import type { Backbone } from './create_backbone';
import { fileSystem } from './file_system_io';
import { readSafetensors } from './safetensors';

function target(model: Backbone | tfl.LayersModel): { model: tfl.LayersModel; head?: string } {
  return 'featureModel' in model ? { model: model.model, head: model.headLayer } : { model };
}

/**
 * Loads a PyTorch state dict saved as `.safetensors` (torchvision ResNet / EfficientNet, timm ResNet: the same
 * key names) into a backbone. Conv kernels are transposed OIHW → HWIO, depthwise `[C,1,kh,kw]` →
 * `[kh,kw,C,1]`, linear `[out,in]` → `[in,out]`; batch-norm `weight/bias/running_mean/running_var` become
 * `gamma/beta/moving_mean/moving_variance`; `num_batches_tracked` is ignored. Float16/bfloat16 files are
 * widened to float32.
 *
 * @example
 * ```ts
 * // Python: safetensors.torch.save_file(torchvision.models.resnet50(weights='DEFAULT').state_dict(), 'r50.safetensors')
 * const net = createBackbone('resnet50');
 * const report = await loadSafetensorsWeights(net, 'r50.safetensors', { skipHead: true });
 * ```
 */
export async function loadSafetensorsWeights(
  model: Backbone | tfl.LayersModel,
  path: string,
  options: LoadWeightsOptions = {},
): Promise<LoadReport> {
  const { model: m, head } = target(model);
  const { tensors } = await readSafetensors(path);
  const file: Record<string, FileTensor> = tensors;
  return assignWeights(m, file, 'torch', { headLayer: head, ...options }, 'loadSafetensorsWeights', path);
}

/**
 * Loads the weights of a tfjs LayersModel (`model.json` + shards, e.g. a saved detector or another backbone
 * built with a different head) into a backbone, matching weights by layer name.
 */
export async function loadTfjsWeights(
  model: Backbone | tfl.LayersModel,
  path: string,
  options: LoadWeightsOptions = {},
): Promise<LoadReport> {
  const { model: m, head } = target(model);
  const artifacts = await fileSystem(path).load!();
  const named = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
  try {
    const file: Record<string, FileTensor> = {};
    for (const [key, t] of Object.entries(named)) {
      file[key] = { shape: [...t.shape], values: t.dataSync() as Float32Array };
    }
    return assignWeights(m, file, 'tfjs', { headLayer: head, ...options }, 'loadTfjsWeights', path);
  } finally {
    tf.dispose(named);
  }
}
