import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import h5wasm, { type Dataset, type Group, type File as H5File } from 'h5wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import {
  type Backbone,
  createBackbone,
  encodeKerasWeights,
  exportKerasWeights,
  exportWeights,
  loadKerasWeights,
  parseKerasWeights,
} from '../src';

let dir = '';
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'qad-keras-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// An HDF5 writer for Keras's layouts, written against h5py's output independently of the package's exporter.

/** Keras weights by `layer/role`, in Keras's layout (HWIO kernels, `[kh,kw,C,1]` depthwise, `[in,out]` dense). */
type KerasDict = Map<string, { shape: number[]; values: Float32Array }>;

interface HandWritten {
  /** `'weights'`: model.save_weights (root); `'model'`: model.save (under /model_weights, with model_config). */
  layout: 'weights' | 'model';
  /** Keras 2 writes `kernel:0`, Keras 3's legacy writer `kernel`. */
  suffix: ':0' | '';
  /** Weightless layers listed in layer_names as Keras does (input, padding, activations…). */
  weightless: string[];
  /** Split layer_names into `layer_names0`, `layer_names1` as Keras does past 64 KiB. */
  chunked?: boolean;
  /** Integer datasets (Normalization's `count`), by `layer/role`. */
  ints?: Map<string, bigint>;
}

async function handWrite(path: string, dict: KerasDict, spec: HandWritten): Promise<void> {
  const { FS } = await h5wasm.ready;
  const mem = `/hand-${Math.random().toString(36).slice(2)}.h5`;
  const file = new h5wasm.File(mem, 'w');
  const fixed = (g: Group, name: string, values: string[]) => {
    if (values.length === 0)
      g.create_attribute(name, new Float64Array(0), [0], '<d'); // h5py: empty float array
    else g.create_attribute(name, values, [values.length], `S${Math.max(...values.map((v) => v.length))}`);
  };
  let root: Group = file;
  if (spec.layout === 'model') {
    file.create_attribute('keras_version', '3.3.3');
    file.create_attribute('backend', 'tensorflow');
    file.create_attribute('model_config', JSON.stringify({ class_name: 'Functional', config: {} }));
    file.create_group('optimizer_weights');
    root = file.create_group('model_weights');
  }
  const layers = new Map<string, string[]>();
  for (const key of [...dict.keys(), ...(spec.ints?.keys() ?? [])]) {
    const [layer, role] = key.split('/') as [string, string];
    layers.set(layer, [...(layers.get(layer) ?? []), role]);
  }
  const names = [...spec.weightless.slice(0, 2), ...layers.keys(), ...spec.weightless.slice(2)];
  if (spec.chunked) {
    fixed(root, 'layer_names0', names.slice(0, 10));
    fixed(root, 'layer_names1', names.slice(10));
  } else {
    fixed(root, 'layer_names', names);
  }
  root.create_attribute('backend', 'tensorflow');
  root.create_attribute('keras_version', spec.layout === 'model' ? '3.3.3' : '2.13.1');
  for (const name of names) {
    const g = root.create_group(name);
    const roles = layers.get(name) ?? [];
    fixed(
      g,
      'weight_names',
      roles.map((r) => `${name}/${r}${spec.suffix}`),
    );
    if (roles.length === 0) continue;
    const inner = g.create_group(name);
    for (const role of roles) {
      const int = spec.ints?.get(`${name}/${role}`);
      if (int !== undefined) {
        inner.create_dataset({
          name: `${role}${spec.suffix}`,
          data: BigInt64Array.of(int),
          shape: [],
          dtype: '<q',
        });
        continue;
      }
      const t = dict.get(`${name}/${role}`)!;
      inner.create_dataset({ name: `${role}${spec.suffix}`, data: t.values, shape: t.shape, dtype: '<f' });
    }
  }
  file.close();
  await writeFile(path, FS.readFile(mem));
  FS.unlink(mem);
}

// ---------------------------------------------------------------------------------------------------------
// keras.applications' ResNet50 and EfficientNetB0 (after their input preprocessing), written with tf ops
// from Keras's source: weights by Keras name, TF 'same' padding, conv biases applied, BN with Keras's eps.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Declares Keras layers and fills them with seeded random weights of a sensible scale. */
class KerasWeights {
  readonly dict: KerasDict = new Map();
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  private put(key: string, shape: number[], draw: () => number): void {
    const values = new Float32Array(shape.reduce((p, d) => p * d, 1));
    for (let i = 0; i < values.length; i++) values[i] = draw();
    this.dict.set(key, { shape, values });
  }
  private uniform(lo: number, hi: number): () => number {
    return () => lo + (hi - lo) * this.next();
  }
  conv(name: string, k: number, cin: number, cout: number, bias: boolean): void {
    const a = Math.sqrt(3 / (k * k * cin));
    this.put(`${name}/kernel`, [k, k, cin, cout], this.uniform(-a, a));
    if (bias) this.put(`${name}/bias`, [cout], this.uniform(-0.5, 0.5));
  }
  depthwise(name: string, k: number, c: number): void {
    const a = Math.sqrt(3 / (k * k));
    this.put(`${name}/depthwise_kernel`, [k, k, c, 1], this.uniform(-a, a));
  }
  bn(name: string, c: number): void {
    this.put(`${name}/gamma`, [c], this.uniform(0.5, 1.5));
    this.put(`${name}/beta`, [c], this.uniform(-0.2, 0.2));
    this.put(`${name}/moving_mean`, [c], this.uniform(-0.3, 0.3));
    this.put(`${name}/moving_variance`, [c], this.uniform(0.5, 1.5));
  }
  dense(name: string, cin: number, cout: number): void {
    const a = Math.sqrt(3 / cin);
    this.put(`${name}/kernel`, [cin, cout], this.uniform(-a, a));
    this.put(`${name}/bias`, [cout], this.uniform(-0.1, 0.1));
  }
  tensor(key: string): tf.Tensor {
    const t = this.dict.get(key);
    if (t === undefined) throw new Error(`reference has no weight ${key}`);
    return tf.tensor(t.values, t.shape);
  }
}

const RESNET_STAGES: Array<[number, number]> = [
  [64, 3],
  [128, 4],
  [256, 6],
  [512, 3],
];

function kerasResNet50Weights(seed: number, classes: number): KerasWeights {
  const w = new KerasWeights(seed);
  w.conv('conv1_conv', 7, 3, 64, true);
  w.bn('conv1_bn', 64);
  let cin = 64;
  RESNET_STAGES.forEach(([f, n], s) => {
    for (let b = 1; b <= n; b++) {
      const p = `conv${s + 2}_block${b}`;
      if (b === 1) {
        w.conv(`${p}_0_conv`, 1, cin, 4 * f, true);
        w.bn(`${p}_0_bn`, 4 * f);
      }
      w.conv(`${p}_1_conv`, 1, cin, f, true);
      w.bn(`${p}_1_bn`, f);
      w.conv(`${p}_2_conv`, 3, f, f, true);
      w.bn(`${p}_2_bn`, f);
      w.conv(`${p}_3_conv`, 1, f, 4 * f, true);
      w.bn(`${p}_3_bn`, 4 * f);
      cin = 4 * f;
    }
  });
  w.dense('predictions', 2048, classes);
  return w;
}

function batchNorm(
  w: KerasWeights,
  x: tf.Tensor4D,
  name: string,
  eps: number,
  training: boolean,
): tf.Tensor4D {
  const { mean, variance } = training
    ? tf.moments(x, [0, 1, 2])
    : { mean: w.tensor(`${name}/moving_mean`), variance: w.tensor(`${name}/moving_variance`) };
  const scale = tf.div(w.tensor(`${name}/gamma`), tf.sqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(tf.sub(x, mean), scale), w.tensor(`${name}/beta`)) as tf.Tensor4D;
}

/** keras.applications.resnet.ResNet50 (v1): returns logits and the conv2/conv3/conv4 stage outputs. */
function kerasResNet50(w: KerasWeights, x: tf.Tensor4D, training: boolean): tf.Tensor[] {
  return tf.tidy(() => {
    const conv = (h: tf.Tensor4D, name: string, stride: number, pad: 'valid' | 'same') =>
      tf.add(
        tf.conv2d(h, w.tensor(`${name}/kernel`) as tf.Tensor4D, stride, pad),
        w.tensor(`${name}/bias`),
      ) as tf.Tensor4D;
    const bn = (h: tf.Tensor4D, name: string) => batchNorm(w, h, name, 1.001e-5, training);
    let h = tf.pad(x, [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ]);
    h = tf.relu(bn(conv(h, 'conv1_conv', 2, 'valid'), 'conv1_bn'));
    h = tf.pad(h, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    h = tf.maxPool(h, 3, 2, 'valid');
    const stages: tf.Tensor[] = [];
    RESNET_STAGES.forEach(([, n], s) => {
      for (let b = 1; b <= n; b++) {
        const p = `conv${s + 2}_block${b}`;
        const stride = b === 1 && s > 0 ? 2 : 1;
        const shortcut = b === 1 ? bn(conv(h, `${p}_0_conv`, stride, 'valid'), `${p}_0_bn`) : h;
        let y = tf.relu(bn(conv(h, `${p}_1_conv`, stride, 'valid'), `${p}_1_bn`));
        y = tf.relu(bn(conv(y, `${p}_2_conv`, 1, 'same'), `${p}_2_bn`));
        y = bn(conv(y, `${p}_3_conv`, 1, 'valid'), `${p}_3_bn`);
        h = tf.relu(tf.add(shortcut, y)) as tf.Tensor4D;
      }
      stages.push(h);
    });
    const pooled = tf.mean(h, [1, 2]);
    const logits = tf.add(
      tf.matMul(pooled, w.tensor('predictions/kernel') as tf.Tensor2D),
      w.tensor('predictions/bias'),
    );
    return [logits, stages[0]!, stages[1]!, stages[2]!];
  });
}

/** keras.applications EfficientNetB0 block arguments: kernel, repeats, in, out, expand ratio, stride. */
const B0_BLOCKS: Array<[number, number, number, number, number, number]> = [
  [3, 1, 32, 16, 1, 1],
  [3, 2, 16, 24, 6, 2],
  [5, 2, 24, 40, 6, 2],
  [3, 3, 40, 80, 6, 2],
  [5, 3, 80, 112, 6, 1],
  [5, 4, 112, 192, 6, 2],
  [3, 1, 192, 320, 6, 1],
];

function eachB0Block(
  visit: (
    p: string,
    k: number,
    cin: number,
    cout: number,
    expand: number,
    stride: number,
    stage: number,
  ) => void,
): void {
  B0_BLOCKS.forEach(([k, n, fin, fout, e, s], i) => {
    for (let j = 0; j < n; j++) {
      visit(`block${i + 1}${'abcd'[j]}_`, k, j === 0 ? fin : fout, fout, e, j === 0 ? s : 1, i);
    }
  });
}

function kerasB0Weights(seed: number, classes: number): KerasWeights {
  const w = new KerasWeights(seed);
  w.conv('stem_conv', 3, 3, 32, false);
  w.bn('stem_bn', 32);
  eachB0Block((p, k, cin, cout, e) => {
    const filters = cin * e;
    if (e !== 1) {
      w.conv(`${p}expand_conv`, 1, cin, filters, false);
      w.bn(`${p}expand_bn`, filters);
    }
    w.depthwise(`${p}dwconv`, k, filters);
    w.bn(`${p}bn`, filters);
    const se = Math.max(1, Math.floor(cin * 0.25));
    w.conv(`${p}se_reduce`, 1, filters, se, true);
    w.conv(`${p}se_expand`, 1, se, filters, true);
    w.conv(`${p}project_conv`, 1, filters, cout, false);
    w.bn(`${p}project_bn`, cout);
  });
  w.conv('top_conv', 1, 320, 1280, false);
  w.bn('top_bn', 1280);
  w.dense('predictions', 1280, classes);
  return w;
}

/** keras.applications EfficientNetB0 after Rescaling/Normalization: logits and stage-2/3/5 outputs. */
function kerasB0(w: KerasWeights, x: tf.Tensor4D, training: boolean): tf.Tensor[] {
  return tf.tidy(() => {
    const conv = (h: tf.Tensor4D, name: string, stride: number, bias = false) => {
      const y = tf.conv2d(h, w.tensor(`${name}/kernel`) as tf.Tensor4D, stride, 'same');
      return (bias ? tf.add(y, w.tensor(`${name}/bias`)) : y) as tf.Tensor4D;
    };
    const bn = (h: tf.Tensor4D, name: string) => batchNorm(w, h, name, 1e-3, training);
    const swish = (y: tf.Tensor4D) => tf.mul(y, tf.sigmoid(y)) as tf.Tensor4D;
    // keras.applications pads stride-2 convs with correct_pad, which is TF's 'same' padding.
    let h = swish(bn(conv(x, 'stem_conv', 2), 'stem_bn'));
    const taps: tf.Tensor[] = [];
    let lastStage = 0;
    eachB0Block((p, _k, cin, cout, e, stride, stage) => {
      if (stage !== lastStage) {
        taps[lastStage] = h;
        lastStage = stage;
      }
      const input = h;
      let y = e !== 1 ? swish(bn(conv(h, `${p}expand_conv`, 1), `${p}expand_bn`)) : h;
      y = tf.depthwiseConv2d(y, w.tensor(`${p}dwconv/depthwise_kernel`) as tf.Tensor4D, stride, 'same');
      y = swish(bn(y, `${p}bn`));
      let s = tf.mean(y, [1, 2], true) as tf.Tensor4D;
      s = swish(conv(s, `${p}se_reduce`, 1, true));
      s = tf.sigmoid(conv(s, `${p}se_expand`, 1, true));
      y = tf.mul(y, s);
      y = bn(conv(y, `${p}project_conv`, 1), `${p}project_bn`);
      h = stride === 1 && cin === cout ? tf.add(y, input) : y;
    });
    h = swish(bn(conv(h, 'top_conv', 1), 'top_bn'));
    const logits = tf.add(
      tf.matMul(tf.mean(h, [1, 2]), w.tensor('predictions/kernel') as tf.Tensor2D),
      w.tensor('predictions/bias'),
    );
    // Stage i (0-based) is torchvision's features.(i+1): taps features.2, .3, .5.
    return [logits, taps[1]!, taps[2]!, taps[4]!];
  });
}

// ---------------------------------------------------------------------------------------------------------

/** Logits and taps of a backbone, in `forward`'s tap order (resnet: layer1–3; efficientnet: features.2/3/5). */
function outputs(net: Backbone, x: tf.Tensor4D, training = false): tf.Tensor[] {
  const { logits, features } = net.forward(x, { training });
  return [logits, ...Object.values(features)];
}

/** max |a − b| / max |b| over a list of tensors (disposes them). */
function relativeError(a: tf.Tensor[], b: tf.Tensor[]): number {
  let worst = 0;
  a.forEach((t, i) => {
    const ref = b[i]!;
    expect(t.shape).toEqual(ref.shape);
    const [diff, scale] = tf.tidy(() => [
      tf.max(tf.abs(tf.sub(t, ref))).dataSync()[0]!,
      tf.max(tf.abs(ref)).dataSync()[0]!,
    ]);
    worst = Math.max(worst, diff! / scale!);
  });
  tf.dispose([...a, ...b]);
  return worst;
}

function weightOf(net: Backbone, layer: string, index: number): Float32Array {
  return net.model.getLayer(layer).getWeights()[index]!.dataSync() as Float32Array;
}

/** Every weight of every layer of `a` equals the one of the same layer of `b`, exactly. */
function expectSameWeights(a: tf.LayersModel, b: tf.LayersModel, except: string[] = []): void {
  let compared = 0;
  for (const layer of a.layers) {
    if (except.includes(layer.name)) continue;
    const wa = layer.getWeights();
    const wb = b.getLayer(layer.name).getWeights();
    expect(wb.length, layer.name).toBe(wa.length);
    wa.forEach((t, i) => {
      expect(wb[i]!.shape, layer.name).toEqual(t.shape);
      expect(tf.util.arraysEqual(wb[i]!.dataSync(), t.dataSync()), `${layer.name} weight ${i}`).toBe(true);
      compared++;
    });
  }
  expect(compared).toBeGreaterThan(0);
}

function randomizeBn(net: Backbone, seed: number): void {
  for (const layer of net.model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(
      layer.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed + i)),
    );
  }
}

const RESNET_WEIGHTLESS = ['input_1', 'conv1_pad', 'conv1_relu', 'pool1_pad', 'pool1_pool', 'avg_pool'];
const B0_WEIGHTLESS = [
  'input_1',
  'rescaling',
  'stem_conv_pad',
  'stem_activation',
  'top_activation',
  'avg_pool',
];

/** Opens a file with h5wasm directly (not through the package) for structural checks. */
async function openH5(path: string): Promise<{ file: H5File; close: () => void }> {
  const { FS } = await h5wasm.ready;
  const mem = `/check-${Math.random().toString(36).slice(2)}.h5`;
  FS.writeFile(mem, await readFile(path));
  const file = new h5wasm.File(mem, 'r');
  return {
    file,
    close: () => {
      file.close();
      FS.unlink(mem);
    },
  };
}

describe('keras.applications ResNet50, save_weights layout (Keras 2 names), written by hand', () => {
  const w = kerasResNet50Weights(11, 2);
  const file = join(tmpdir(), `qad-keras-resnet50-${process.pid}.h5`);
  let net: Backbone;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await handWrite(file, w.dict, { layout: 'weights', suffix: ':0', weightless: RESNET_WEIGHTLESS });
    net = createBackbone('resnet50', { inputSize: 64, variant: 'keras' });
    x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  });
  afterAll(async () => {
    net.dispose();
    x.dispose();
    await rm(file, { force: true });
  });

  it('maps every weight, folds conv biases exactly, and the keras variant computes what Keras computes', async () => {
    const report = await loadKerasWeights(net, file);
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual([]);
    // 53 convs (stem, 16 blocks × 3, 4 shortcuts), each bias folded into its BN.
    expect(report.folded.length).toBe(53);
    expect(report.folded).toContain('conv3_block1_0_conv/bias');
    expect(report.loaded.length).toBe(w.dict.size - 53);
    expect(report.normalization).toBeNull();

    // The name table, checked against literal Keras names.
    const same = (layer: string, i: number, key: string) =>
      expect(Array.from(weightOf(net, layer, i)), `${layer} ← ${key}`).toEqual(
        Array.from(w.dict.get(key)!.values),
      );
    same('conv1', 0, 'conv1_conv/kernel');
    same('layer1.0.conv2', 0, 'conv2_block1_2_conv/kernel');
    same('layer2.0.downsample.0', 0, 'conv3_block1_0_conv/kernel');
    same('layer2.0.downsample.1', 0, 'conv3_block1_0_bn/gamma');
    same('layer3.5.bn3', 3, 'conv4_block6_3_bn/moving_variance');
    same('layer4.2.conv3', 0, 'conv5_block3_3_conv/kernel');
    same('fc', 0, 'predictions/kernel');
    same('fc', 1, 'predictions/bias');
    // Fold: moving_mean' = moving_mean − bias, to the float32 rounding of one subtraction.
    for (const [layer, bnKey, convKey] of [
      ['bn1', 'conv1_bn', 'conv1_conv'],
      ['layer1.0.downsample.1', 'conv2_block1_0_bn', 'conv2_block1_0_conv'],
      ['layer4.2.bn2', 'conv5_block3_2_bn', 'conv5_block3_2_conv'],
    ] as const) {
      const m = w.dict.get(`${bnKey}/moving_mean`)!.values;
      const b = w.dict.get(`${convKey}/bias`)!.values;
      expect(Array.from(weightOf(net, layer, 2)), layer).toEqual(
        Array.from(m, (v, i) => Math.fround(v - b[i]!)),
      );
    }
    // Eval: folded BN vs the bias applied by hand.
    expect(relativeError(outputs(net, x), kerasResNet50(w, x, false))).toBeLessThan(1e-4);
  });

  it('exportKerasWeights writes the Keras layout, and loading it into a fresh model gives identical outputs', async () => {
    const out = join(dir, 'resnet50_roundtrip.h5');
    await exportKerasWeights(net, out);
    const { file: h5, close } = await openH5(out);
    const layerNames = h5.attrs.layer_names!.value as string[];
    expect(layerNames).toContain('conv2_block1_0_conv');
    expect(layerNames).toContain('predictions');
    expect(layerNames.length).toBe(new Set([...w.dict.keys()].map((k) => k.split('/')[0])).size);
    expect((h5.get('conv2_block1_0_conv') as Group).attrs.weight_names!.value).toEqual([
      'conv2_block1_0_conv/kernel:0',
      'conv2_block1_0_conv/bias:0',
    ]);
    const kernel = h5.get('conv2_block1_0_conv/conv2_block1_0_conv/kernel:0') as Dataset;
    expect(kernel.shape).toEqual([1, 1, 64, 256]);
    expect(Array.from(kernel.value as Float32Array)).toEqual(
      Array.from(w.dict.get('conv2_block1_0_conv/kernel')!.values),
    );
    // The folded bias is written back as zeros next to the folded moving mean.
    const bias = h5.get('conv1_conv/conv1_conv/bias:0') as Dataset;
    expect(Array.from(bias.value as Float32Array)).toEqual(Array.from(new Float32Array(64)));
    expect(Array.from((h5.get('conv1_bn/conv1_bn/moving_mean:0') as Dataset).value as Float32Array)).toEqual(
      Array.from(weightOf(net, 'bn1', 2)),
    );
    close();

    const target = createBackbone('resnet50', { inputSize: 64, variant: 'keras', seed: 2 });
    const report = await loadKerasWeights(target, out);
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.folded.length).toBe(53);
    expectSameWeights(net.model, target.model);
    const a = tf.tidy(() => tf.concat(outputs(net, x).map((t) => t.flatten())));
    const b = tf.tidy(() => tf.concat(outputs(target, x).map((t) => t.flatten())));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    target.dispose();
  });

  it('the torchvision topology (stride on the 3×3) loads the same file but computes something else', async () => {
    const v15 = createBackbone('resnet50', { inputSize: 64 });
    await loadKerasWeights(v15, file);
    expect(relativeError(outputs(v15, x), kerasResNet50(w, x, false))).toBeGreaterThan(1e-2);
    v15.dispose();
  });

  it('in training mode the batch statistics absorb the folded bias: still what Keras computes', () => {
    // Last: a training forward moves the moving averages.
    expect(relativeError(outputs(net, x, true), kerasResNet50(w, x, true))).toBeLessThan(1e-4);
  });
});

describe('keras.applications EfficientNetB0, model.save layout (Keras 3 names), written by hand', () => {
  const w = kerasB0Weights(12, 2);
  const file = join(tmpdir(), `qad-keras-b0-${process.pid}.h5`);
  beforeAll(async () => {
    // keras.applications' ImageNet Normalization statistics, and its int64 `count`.
    const norm: KerasDict = new Map([
      ['normalization/mean', { shape: [3], values: new Float32Array([0.485, 0.456, 0.406]) }],
      ['normalization/variance', { shape: [3], values: new Float32Array([0.229, 0.224, 0.225]) }],
    ]);
    await handWrite(file, new Map([...norm, ...w.dict]), {
      layout: 'model',
      suffix: '',
      weightless: B0_WEIGHTLESS,
      chunked: true,
      ints: new Map([['normalization/count', 50000n]]),
    });
  });
  afterAll(async () => {
    await rm(file, { force: true });
  });

  it('parses the model.save layout with chunked layer_names and weightless layers', async () => {
    const parsed = await parseKerasWeights(await readFile(file));
    expect(parsed.layout).toBe('model');
    expect(parsed.kerasVersion).toBe('3.3.3');
    expect(parsed.backend).toBe('tensorflow');
    expect(parsed.layers.map((l) => l.name).slice(0, 4)).toEqual([
      'input_1',
      'rescaling',
      'normalization',
      'stem_conv',
    ]);
    expect(parsed.layers[0]!).toEqual({ name: 'input_1', weights: [] });
    expect(parsed.layers[2]!.weights.map((v) => [v.name, v.shape, Array.from(v.values)])).toEqual([
      ['normalization/mean', [3], Array.from(new Float32Array([0.485, 0.456, 0.406]))],
      ['normalization/variance', [3], Array.from(new Float32Array([0.229, 0.224, 0.225]))],
      ['normalization/count', [], [50000]],
    ]);
  });

  for (const size of [64, 66]) {
    it(`maps every weight, reports the Normalization layer, matches Keras's 'same' padding at ${size} px`, async () => {
      // No dropout / stochastic depth, so that a training forward is deterministic.
      const net = createBackbone('efficientnet_b0', {
        inputSize: size,
        variant: 'keras',
        dropout: 0,
        dropConnectRate: 0,
      });
      const report = await loadKerasWeights(net, file);
      expect(report.missing).toEqual([]);
      expect(report.unexpected).toEqual([]);
      expect(report.folded).toEqual([]);
      expect(report.loaded.length).toBe(w.dict.size);
      expect(report.skipped).toEqual(['normalization/mean', 'normalization/variance', 'normalization/count']);
      expect(report.normalization).toEqual({
        layer: 'normalization',
        mean: Array.from(new Float32Array([0.485, 0.456, 0.406])),
        variance: Array.from(new Float32Array([0.229, 0.224, 0.225])),
      });
      const same = (layer: string, i: number, key: string) =>
        expect(Array.from(weightOf(net, layer, i)), `${layer} ← ${key}`).toEqual(
          Array.from(w.dict.get(key)!.values),
        );
      same('features.0.0', 0, 'stem_conv/kernel');
      same('features.1.0.block.0.0', 0, 'block1a_dwconv/depthwise_kernel');
      same('features.1.0.block.1.fc1', 1, 'block1a_se_reduce/bias');
      same('features.1.0.block.2.1', 0, 'block1a_project_bn/gamma');
      same('features.2.0.block.0.0', 0, 'block2a_expand_conv/kernel');
      same('features.2.1.block.1.1', 2, 'block2b_bn/moving_mean');
      same('features.6.3.block.2.fc2', 0, 'block6d_se_expand/kernel');
      same('features.7.0.block.3.0', 0, 'block7a_project_conv/kernel');
      same('features.8.1', 3, 'top_bn/moving_variance');
      same('classifier.1', 0, 'predictions/kernel');

      // 64 px: every stride-2 input is even (lopsided padding); 66 px: only the stem's is (33, 17, 9 are odd).
      const x = tf.randomNormal([2, size, size, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      expect(relativeError(outputs(net, x), kerasB0(w, x, false))).toBeLessThan(1e-4);
      expect(relativeError(outputs(net, x, true), kerasB0(w, x, true))).toBeLessThan(1e-4);
      const tv = createBackbone('efficientnet_b0', { inputSize: size });
      await loadKerasWeights(tv, file);
      // Symmetric padding shifts the stride-2 windows.
      expect(relativeError(outputs(tv, x), kerasB0(w, x, false))).toBeGreaterThan(1e-2);
      tv.dispose();
      x.dispose();
      net.dispose();
    });
  }
});

describe('exportKerasWeights → loadKerasWeights round trip', () => {
  it('efficientnet_b0: Keras layout on disk, identical weights, logits and taps in a fresh model', async () => {
    const source = createBackbone('efficientnet_b0', { inputSize: 64, seed: 1 });
    randomizeBn(source, 30);
    const file = join(dir, 'b0_roundtrip.h5');
    await exportKerasWeights(source, file);
    const { file: h5, close } = await openH5(file);
    expect(h5.attrs.keras_version!.value).toBe('2.15.0');
    expect(h5.attrs.layer_names!.value as string[]).toContain('block2a_dwconv');
    expect((h5.get('block2a_dwconv') as Group).attrs.weight_names!.value).toEqual([
      'block2a_dwconv/depthwise_kernel:0',
    ]);
    const kernel = h5.get('block2a_dwconv/block2a_dwconv/depthwise_kernel:0') as Dataset;
    expect(kernel.shape).toEqual([3, 3, 96, 1]);
    expect(Array.from(kernel.value as Float32Array)).toEqual(
      Array.from(weightOf(source, 'features.2.0.block.1.0', 0)),
    );
    expect((h5.get('block2a_se_reduce') as Group).attrs.weight_names!.value).toEqual([
      'block2a_se_reduce/kernel:0',
      'block2a_se_reduce/bias:0',
    ]);
    close();
    const target = createBackbone('efficientnet_b0', { inputSize: 64, seed: 2 });
    const report = await loadKerasWeights(target, file);
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.folded).toEqual([]);
    expectSameWeights(source.model, target.model);
    const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const a = tf.tidy(() => tf.concat(outputs(source, x).map((t) => t.flatten())));
    const b = tf.tidy(() => tf.concat(outputs(target, x).map((t) => t.flatten())));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, x]);
    source.dispose();
    target.dispose();
  });
});

describe('partial loads, errors, memory', () => {
  let w: KerasWeights;
  let file = '';
  beforeAll(async () => {
    w = kerasB0Weights(13, 2);
    file = join(dir, 'b0_weights.h5');
    await handWrite(file, w.dict, { layout: 'weights', suffix: ':0', weightless: [] });
  });

  it('an ImageNet (1000-class) file into a 2-class detector: mis-shaped head, or loaded without it by skipHead', async () => {
    const imagenet = createBackbone('efficientnet_b0', { inputSize: 64, numClasses: 1000, seed: 3 });
    const bytes = await encodeKerasWeights(imagenet);
    const detector = createBackbone('efficientnet_b0', { inputSize: 64, seed: 4 });
    const head = Array.from(weightOf(detector, 'classifier.1', 0));
    await expect(loadKerasWeights(detector, bytes)).rejects.toThrow(
      `'loadKerasWeights' cannot load the given bytes (${bytes.length} bytes) into efficientnet_b0: mis-shaped (2): ` +
        'predictions/kernel file [1280, 1000] vs model [1280, 2], predictions/bias file [1000] vs model [2].',
    );
    const report = await loadKerasWeights(detector, bytes, { skipHead: true });
    expect(report.skipped).toEqual(['predictions/kernel', 'predictions/bias']);
    expect(report.missing).toEqual([]);
    expectSameWeights(imagenet.model, detector.model, ['classifier.1']);
    expect(Array.from(weightOf(detector, 'classifier.1', 0))).toEqual(head);
    imagenet.dispose();
    detector.dispose();
  });

  it('lists missing, unexpected and mis-shaped Keras keys in one error, and writes nothing', async () => {
    const broken = new Map(w.dict);
    broken.delete('block3b_bn/moving_variance');
    broken.set('block8a_dwconv/depthwise_kernel', { shape: [3, 3, 8, 1], values: new Float32Array(72) });
    broken.set('stem_conv/kernel', { shape: [3, 3, 3, 16], values: new Float32Array(432) });
    const path = join(dir, 'broken.h5');
    await handWrite(path, broken, { layout: 'weights', suffix: ':0', weightless: [] });
    const net = createBackbone('efficientnet_b0', { inputSize: 64 });
    const fresh = createBackbone('efficientnet_b0', { inputSize: 64 });
    const error = await loadKerasWeights(net, path).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`'loadKerasWeights' cannot load ${path} into efficientnet_b0`);
    expect(message).toContain('mis-shaped (1): stem_conv/kernel file [3, 3, 3, 16] vs model [3, 3, 3, 32]');
    expect(message).toContain('missing (1): block3b_bn/moving_variance');
    expect(message).toContain('unexpected (1): block8a_dwconv/depthwise_kernel');
    expectSameWeights(fresh.model, net.model);
    // Non-strict: what matches loads, the rest is reported (mis-shaped still refuses).
    broken.delete('stem_conv/kernel');
    await handWrite(path, broken, { layout: 'weights', suffix: ':0', weightless: [] });
    const report = await loadKerasWeights(net, path, { strict: false });
    expect(report.missing).toEqual(['stem_conv/kernel', 'block3b_bn/moving_variance']);
    expect(report.unexpected).toEqual(['block8a_dwconv/depthwise_kernel']);
    expect(Array.from(weightOf(net, 'features.8.0', 0))).toEqual(
      Array.from(w.dict.get('top_conv/kernel')!.values),
    );
    net.dispose();
    fresh.dispose();
  });

  it('corrupt, truncated, missing and non-Keras files give errors naming the file', async () => {
    const net = createBackbone('efficientnet_b0', { inputSize: 64 });
    const junk = join(dir, 'junk.h5');
    await writeFile(junk, 'this is not a weight file at all');
    await expect(loadKerasWeights(net, junk)).rejects.toThrow(
      `'loadKerasWeights' cannot read ${junk}: not an HDF5 file (32 bytes, no HDF5 signature`,
    );
    const whole = await readFile(file);
    const truncated = join(dir, 'truncated.h5');
    await writeFile(truncated, whole.subarray(0, whole.length >> 1));
    await expect(loadKerasWeights(net, truncated)).rejects.toThrow(
      `'loadKerasWeights' cannot read ${truncated}: HDF5 error: Read failed; File has been truncated.`,
    );
    const absent = join(dir, 'absent.h5');
    await expect(loadKerasWeights(net, absent)).rejects.toThrow(
      `'loadKerasWeights' cannot read ${absent}: ENOENT`,
    );

    // A valid HDF5 file that Keras did not write, and a Keras 3 `.weights.h5` (weights by index).
    const { FS } = await h5wasm.ready;
    for (const [base, build, why] of [
      [
        'other.h5',
        (f: H5File) => f.create_group('entry'),
        "no 'layer_names' attribute at / or /model_weights",
      ],
      [
        'keras3.weights.h5',
        (f: H5File) => f.create_group('layers').create_group('conv2d').create_group('vars'),
        'it is a Keras 3 `.weights.h5` file',
      ],
    ] as const) {
      const f = new h5wasm.File(`/${base}`, 'w');
      build(f);
      f.close();
      const path = join(dir, base);
      await writeFile(path, FS.readFile(`/${base}`));
      FS.unlink(`/${base}`);
      await expect(loadKerasWeights(net, path)).rejects.toThrow(
        `'loadKerasWeights' cannot read ${path}: ${why}`,
      );
    }
    await expect(parseKerasWeights(new Uint8Array(600))).rejects.toThrow(
      "'parseKerasWeights' cannot read the given bytes: not an HDF5 file (600 bytes",
    );
    // keras.applications has no ResNet-18: no name table, and no Keras variant.
    const r18 = createBackbone('resnet18', { inputSize: 32 });
    await expect(loadKerasWeights(r18, file)).rejects.toThrow(
      /'loadKerasWeights' cannot map resnet18 to Keras names: keras.applications has no basic-block ResNet/,
    );
    await expect(encodeKerasWeights(r18)).rejects.toThrow(/'exportKerasWeights' cannot map resnet18/);
    expect(() => createBackbone('resnet18', { variant: 'keras' })).toThrow(
      "Argument 'options.variant' passed to 'createBackbone' must be one of torchvision for resnet18, got 'keras' (keras.applications has no such model).",
    );
    r18.dispose();
    net.dispose();
  });

  it('efficientnet_b1: every weight gets its own keras.applications name (blocks 1a–1b … 7a–7b)', () => {
    const b1 = createBackbone('efficientnet_b1', { inputSize: 32 });
    const keys = Object.keys(exportWeights(b1.model, 'keras'));
    expect(keys.length).toBe(b1.model.weights.length);
    const layers = [...new Set(keys.map((k) => k.split('/')[0]!))];
    const pattern =
      /^(stem_(conv|bn)|top_(conv|bn)|predictions|block[1-7][a-e]_(expand_conv|expand_bn|dwconv|bn|se_reduce|se_expand|project_conv|project_bn))$/;
    expect(layers.filter((l) => !pattern.test(l))).toEqual([]);
    // B1's depth multiplier 1.1 gives 2, 3, 3, 4, 4, 5, 2 blocks per stage.
    const blocks = [...new Set(layers.filter((l) => l.startsWith('block')).map((l) => l.slice(5, 7)))];
    expect(blocks.join(' ')).toBe('1a 1b 2a 2b 2c 3a 3b 3c 4a 4b 4c 4d 5a 5b 5c 5d 6a 6b 6c 6d 6e 7a 7b');
    // Stage-1 blocks have no expansion; the others do.
    expect(layers).not.toContain('block1b_expand_conv');
    expect(layers).toContain('block7b_expand_conv');
    expect(keys).toContain('block1b_dwconv/depthwise_kernel');
    b1.dispose();
  });

  it('exporting and loading leave no tensors behind', async () => {
    const net = createBackbone('efficientnet_b0', { inputSize: 32 });
    const before = tf.memory().numTensors;
    const path = join(dir, 'memory.h5');
    await exportKerasWeights(net, path);
    await loadKerasWeights(net, path);
    await loadKerasWeights(net, file);
    // The error path (a mis-shaped head) too.
    const threeClass = createBackbone('efficientnet_b0', { inputSize: 32, numClasses: 3 });
    const bytes = await encodeKerasWeights(threeClass);
    threeClass.dispose();
    await expect(loadKerasWeights(net, bytes)).rejects.toThrow(/mis-shaped/);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
