import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assignWeights, type FileTensor, type LoadReport, type LoadWeightsOptions } from './assign_weights';
import type { Backbone } from './create_backbone';
import type { TorchNaming } from './layer_names';
import { loadHandler, type ModelLocation } from './model_location';
import { readSafetensors } from './safetensors';
import { weightSlots } from './weight_slots';

function target(model: Backbone | tfl.LayersModel): { model: tfl.LayersModel; head?: string } {
  return 'featureModel' in model ? { model: model.model, head: model.headLayer } : { model };
}

/** Options of {@link loadSafetensorsWeights}. */
export interface SafetensorsLoadOptions extends LoadWeightsOptions {
  /**
   * Key naming of the state dict: torchvision's module paths or timm's (`conv_stem`, `blocks.i.j.conv_pw`,
   * `conv_head`, `classifier` for EfficientNet; timm's ResNets use torchvision's names). Default: detected
   * from the file (timm when it has `conv_stem.*` or `blocks.*` keys).
   */
  naming?: TorchNaming;
}

/** timm's EfficientNet keys: its stem and block names do not occur in torchvision's. */
function detectNaming(keys: string[]): TorchNaming {
  return keys.some((k) => k.startsWith('conv_stem.') || k.startsWith('blocks.')) ? 'timm' : 'torchvision';
}

/**
 * Loads a PyTorch state dict saved as `.safetensors` (torchvision or timm ResNet / EfficientNet) into a
 * backbone. Conv kernels are transposed OIHW → HWIO, depthwise `[C,1,kh,kw]` → `[kh,kw,C,1]`, linear
 * `[out,in]` → `[in,out]`; batch-norm `weight/bias/running_mean/running_var` become
 * `gamma/beta/moving_mean/moving_variance`; `num_batches_tracked` is ignored. Float16/bfloat16 files are
 * widened to float32. timm key names are recognised automatically (or set `naming`); errors list keys in
 * the file's naming.
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
  options: SafetensorsLoadOptions = {},
): Promise<LoadReport> {
  const { model: m, head } = target(model);
  const { tensors } = await readSafetensors(path);
  const file: Record<string, FileTensor> = tensors;
  const naming = options.naming ?? detectNaming(Object.keys(file));
  return assignWeights(
    m,
    file,
    weightSlots(m, 'torch', { naming }),
    { headLayer: head, ...options },
    'loadSafetensorsWeights',
    path,
  );
}

/**
 * Loads the weights of a tfjs LayersModel (`model.json` + shards, e.g. a saved detector or another backbone
 * built with a different head) into a backbone, matching weights by layer name. `source` is anything
 * `loadDetector` accepts: a path or `file://` URL (Node), a browser or `http(s)://` URL, or an IOHandler.
 */
export async function loadTfjsWeights(
  model: Backbone | tfl.LayersModel,
  source: ModelLocation,
  options: LoadWeightsOptions = {},
): Promise<LoadReport> {
  const { model: m, head } = target(model);
  const handler = loadHandler(source, 'loadTfjsWeights');
  if (handler.load === undefined) {
    throw new Error(`Argument 'source' passed to 'loadTfjsWeights' is an IOHandler without 'load'.`);
  }
  const path = typeof source === 'string' ? source : 'the given IOHandler';
  const artifacts = await handler.load();
  const named = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
  try {
    const file: Record<string, FileTensor> = {};
    for (const [key, t] of Object.entries(named)) {
      file[key] = { shape: [...t.shape], values: t.dataSync() as Float32Array };
    }
    return assignWeights(
      m,
      file,
      weightSlots(m, 'tfjs'),
      { headLayer: head, ...options },
      'loadTfjsWeights',
      path,
    );
  } finally {
    tf.dispose(named);
  }
}
