import type { Dataset, Group } from 'h5wasm';
import { type Hdf5Classes, readHdf5, writeHdf5 } from './hdf5';
import { halfToFloat } from './safetensors';

/** One weight of a Keras HDF5 weight file. */
export interface KerasWeight {
  /** Name as stored in `weight_names`: `conv1_conv/kernel:0` (Keras 2) or `conv1_conv/kernel` (Keras 3). */
  name: string;
  /** Shape, in Keras's layout (conv kernels HWIO, depthwise `[kh, kw, C, 1]`, dense `[in, out]`). */
  shape: number[];
  /** Values, widened to float32. */
  values: Float32Array;
}

/** One layer of a Keras HDF5 weight file. */
export interface KerasLayerWeights {
  /** Layer name (`conv2_block1_1_conv`). */
  name: string;
  /** Its weights, in `weight_names` order (empty for layers without weights). */
  weights: KerasWeight[];
}

/** What {@link parseKerasWeights} reads from a Keras HDF5 file. */
export interface KerasWeightFile {
  /** Layers in the file's `layer_names` order. */
  layers: KerasLayerWeights[];
  /** `'weights'`: `model.save_weights` layout (at the root); `'model'`: `model.save` layout (`/model_weights`). */
  layout: 'weights' | 'model';
  /** The file's `keras_version` attribute, if any. */
  kerasVersion: string | null;
  /** The file's `backend` attribute, if any. */
  backend: string | null;
}

/** The weight's role within its layer: the last path part without the `:0` suffix (`kernel`, `gamma`, …). */
export function kerasRole(weightName: string): string {
  return weightName.slice(weightName.lastIndexOf('/') + 1).replace(/:\d+$/, '');
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map((v) => String(v));
  // h5py stores an empty list as an empty float64 array.
  if (ArrayBuffer.isView(value) && (value as unknown as ArrayLike<unknown>).length === 0) return [];
  return [String(value)];
}

/**
 * A string-list attribute as Keras writes it: one attribute, or — past HDF5's 64 KiB object-header limit —
 * chunks `name0`, `name1`, … (Keras's `save_attributes_to_hdf5_group`). `null` when absent.
 */
function stringList(group: Group, name: string): string[] | null {
  const attrs = group.attrs;
  if (attrs[name] !== undefined) return strings(attrs[name].value);
  if (attrs[`${name}0`] === undefined) return null;
  const out: string[] = [];
  for (let i = 0; attrs[`${name}${i}`] !== undefined; i++) out.push(...strings(attrs[`${name}${i}`]!.value));
  return out;
}

function stringAttr(group: Group, name: string): string | null {
  const attr = group.attrs[name];
  return attr === undefined ? null : strings(attr.value).join('');
}

function floats(dataset: Dataset, where: string, fail: (why: string) => never): Float32Array {
  const { type, size } = dataset.metadata;
  // HDF5 classes 0 and 1 are integer and floating point; integers occur as counters (Normalization's
  // `count`) and are widened like the rest.
  if (type !== 0 && type !== 1)
    fail(`weight '${where}' is not numeric (HDF5 dtype ${JSON.stringify(dataset.dtype)})`);
  const value = dataset.value;
  if (value instanceof Float32Array) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Float32Array.of(Number(value));
  if (type === 1 && size === 2 && value instanceof Uint8Array) {
    // h5wasm has no float16 array type and hands over the raw little-endian bytes.
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    return Float32Array.from({ length: value.byteLength / 2 }, (_, i) =>
      halfToFloat(view.getUint16(2 * i, true)),
    );
  }
  if (value instanceof BigInt64Array || value instanceof BigUint64Array)
    return Float32Array.from(value, Number);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Float32Array.from(value as ArrayLike<number>);
  return fail(`weight '${where}' has an unsupported type (HDF5 dtype ${JSON.stringify(dataset.dtype)})`);
}

function readLayers(file: Group, classes: Hdf5Classes, fail: (why: string) => never): KerasWeightFile {
  let group: Group = file;
  let layout: KerasWeightFile['layout'] = 'weights';
  let layerNames = stringList(file, 'layer_names');
  if (layerNames === null) {
    const nested = file.keys().includes('model_weights') ? file.get('model_weights') : null;
    if (nested instanceof classes.Group) {
      group = nested;
      layout = 'model';
      layerNames = stringList(nested, 'layer_names');
    }
  }
  if (layerNames === null) {
    const keys = file.keys();
    if (keys.includes('layers') || keys.includes('vars')) {
      fail(
        'it is a Keras 3 `.weights.h5` file (weights stored by index under layers/…/vars), which has no layer ' +
          "names to map; save the model in the legacy HDF5 format instead (Keras 3: model.save('model.h5'); " +
          "Keras 2: model.save_weights('weights.h5'))",
      );
    }
    fail(
      "no 'layer_names' attribute at / or /model_weights: not a Keras HDF5 weight file " +
        `(top-level entries: ${keys.join(', ') || 'none'})`,
    );
  }
  const layers: KerasLayerWeights[] = [];
  for (const name of layerNames!) {
    const g = group.keys().includes(name) ? group.get(name) : null;
    if (!(g instanceof classes.Group)) fail(`layer '${name}' is listed in layer_names but has no group`);
    const weights: KerasWeight[] = [];
    for (const weightName of stringList(g as Group, 'weight_names') ?? []) {
      const dataset = (g as Group).get(weightName);
      if (!(dataset instanceof classes.Dataset)) {
        fail(`weight '${name}/${weightName}' is listed in weight_names but has no dataset`);
      }
      const d = dataset as Dataset;
      weights.push({
        name: weightName,
        shape: [...(d.shape ?? [])],
        values: floats(d, `${name}/${weightName}`, fail),
      });
    }
    layers.push({ name, weights });
  }
  return {
    layers,
    layout,
    kerasVersion: stringAttr(group, 'keras_version'),
    backend: stringAttr(group, 'backend'),
  };
}

/**
 * Parses a Keras HDF5 weight file: the `model.save_weights('x.h5')` layout (root attribute `layer_names`,
 * per-layer groups with attribute `weight_names`, datasets such as `conv1_conv/conv1_conv/kernel:0`) or the
 * `model.save('x.h5')` layout (the same under `/model_weights`), from Keras 2 (`:0` suffixes) or Keras 3's
 * legacy HDF5 writer. Errors name `fn` and `source`.
 *
 * @param bytes The file's contents.
 * @param source Name for error messages (a path).
 * @param fn Function name for error messages.
 */
export async function parseKerasWeights(
  bytes: Uint8Array,
  source = 'the given bytes',
  fn = 'parseKerasWeights',
): Promise<KerasWeightFile> {
  return readHdf5(bytes, source, fn, (file, classes) => {
    const fail = (why: string): never => {
      throw new Error(`'${fn}' cannot read ${source}: ${why}.`);
    };
    return readLayers(file, classes, fail);
  });
}

function writeStrings(group: Group, name: string, values: string[]): void {
  const width = Math.max(1, ...values.map((v) => new TextEncoder().encode(v).length));
  // Fixed-length byte strings, as h5py writes Keras's numpy `S` arrays.
  group.create_attribute(name, values, [values.length], `S${width}`);
}

/**
 * Encodes layers as a Keras `save_weights` HDF5 file (root `layer_names`, `backend`, `keras_version`;
 * per-layer `weight_names`; one float32 dataset per weight at `layer/weight_name`).
 */
export async function encodeKerasLayers(layers: KerasLayerWeights[]): Promise<Uint8Array> {
  return writeHdf5((file) => {
    writeStrings(
      file,
      'layer_names',
      layers.map((l) => l.name),
    );
    file.create_attribute('backend', 'tensorflow');
    // Keras reads keras_version only to decide whether to convert Keras 1 weights: any 2.x value means no.
    file.create_attribute('keras_version', '2.15.0');
    for (const layer of layers) {
      const group = file.create_group(layer.name);
      writeStrings(
        group,
        'weight_names',
        layer.weights.map((w) => w.name),
      );
      for (const w of layer.weights) {
        const parts = w.name.split('/');
        let g = group;
        for (const part of parts.slice(0, -1)) {
          g = g.keys().includes(part) ? (g.get(part) as Group) : g.create_group(part);
        }
        g.create_dataset({ name: parts[parts.length - 1]!, data: w.values, shape: w.shape, dtype: '<f' });
      }
    }
  });
}
