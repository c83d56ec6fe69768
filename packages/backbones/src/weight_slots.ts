import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fileLayerNamer, type TorchNaming } from './layer_names';

/**
 * Key and tensor layout conventions a weight file can use: tfjs (`layer/kernel`, HWIO), PyTorch
 * (`layer.weight`, OIHW) or Keras (keras.applications layer names, `layer/kernel`, HWIO like tfjs).
 */
export type WeightLayout = 'tfjs' | 'torch' | 'keras';

/** Options of {@link exportWeights} (and the internal weight-slot mapping behind every loader). */
export interface WeightNamingOptions {
  /** Key naming of the `'torch'` layout. Default `'torchvision'` (the model's own layer names). */
  naming?: TorchNaming;
}

/** One weight of a model, as a file in a given layout names and shapes it. */
export interface WeightSlot {
  /** Name in the file: tfjs `layer/kernel`, PyTorch `layer.weight`, Keras `conv1_conv/kernel`. */
  key: string;
  /** Layer that owns the weight. */
  layer: string;
  /** Name of that layer in the file (differs from `layer` for timm and Keras names). */
  fileLayer: string;
  /** The model's variable. */
  variable: tfl.LayerVariable;
  /** Shape in the file's layout. */
  fileShape: number[];
  /** Permutation from the file's layout to tfjs's (none when identical). */
  perm: number[] | null;
}

const TORCH_NAMES: Record<string, string> = {
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
  bias: 'bias',
  kernel: 'weight',
  depthwise_kernel: 'weight',
};

/**
 * Lists a model's weights as a weight file in `layout` names them. PyTorch stores conv kernels OIHW,
 * depthwise kernels `[C, 1, kh, kw]` and linear weights `[out, in]`; tfjs (and Keras) store HWIO,
 * `[kh, kw, C, 1]` and `[in, out]`, so each torch slot carries the permutation that turns the file's tensor
 * into tfjs's. Keras slots use keras.applications' layer names (see `fileLayerNamer`).
 */
export function weightSlots(
  model: tfl.LayersModel,
  layout: WeightLayout,
  options: WeightNamingOptions = {},
): WeightSlot[] {
  const naming =
    layout === 'keras' ? 'keras' : layout === 'torch' ? (options.naming ?? 'torchvision') : 'torchvision';
  const fileName = fileLayerNamer(model, naming, 'weightSlots');
  const slots: WeightSlot[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const fileLayer = fileName(layer.name);
    for (const variable of layer.weights) {
      // originalName is `layer/role`; `name` may carry a uniquifying suffix when models share layer names.
      const role = variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);
      const shape = [...variable.shape] as number[];
      if (layout === 'tfjs' || layout === 'keras') {
        const key = layout === 'tfjs' ? variable.originalName : `${fileLayer}/${role}`;
        slots.push({ key, layer: layer.name, fileLayer, variable, fileShape: shape, perm: null });
        continue;
      }
      const torchRole = TORCH_NAMES[role];
      if (torchRole === undefined) {
        throw new Error(
          `'weightSlots' has no PyTorch name for weight '${variable.originalName}' of ${className}.`,
        );
      }
      let perm: number[] | null = null;
      let fileShape = shape;
      if (role === 'kernel' && className === 'Dense') {
        perm = [1, 0];
        fileShape = [shape[1]!, shape[0]!];
      } else if (role === 'kernel') {
        perm = [2, 3, 1, 0]; // OIHW → HWIO
        fileShape = [shape[3]!, shape[2]!, shape[0]!, shape[1]!];
      } else if (role === 'depthwise_kernel') {
        perm = [2, 3, 0, 1]; // [C, 1, kh, kw] → [kh, kw, C, 1]
        fileShape = [shape[2]!, shape[3]!, shape[0]!, shape[1]!];
      }
      slots.push({
        key: `${fileLayer}.${torchRole}`,
        layer: layer.name,
        fileLayer,
        variable,
        fileShape,
        perm,
      });
    }
  }
  return slots;
}

/**
 * Reads every weight of `model` in `layout` (e.g. to write a PyTorch-compatible safetensors file, with
 * torchvision's or timm's key names).
 *
 * @example
 * ```ts
 * await writeSafetensors('b0.safetensors', exportWeights(net.model, 'torch', { naming: 'timm' }));
 * ```
 */
export function exportWeights(
  model: tfl.LayersModel,
  layout: WeightLayout,
  options: WeightNamingOptions = {},
): Record<string, { shape: number[]; values: Float32Array }> {
  const out: Record<string, { shape: number[]; values: Float32Array }> = {};
  for (const slot of weightSlots(model, layout, options)) {
    const values = tf.tidy(() => {
      const v = slot.variable.read();
      // Inverse permutation: tfjs → file layout.
      const inverse = slot.perm === null ? null : slot.perm.map((_, i) => slot.perm!.indexOf(i));
      return inverse === null ? v.clone() : tf.transpose(v, inverse);
    });
    out[slot.key] = { shape: slot.fileShape, values: values.dataSync() as Float32Array };
    values.dispose();
  }
  return out;
}
