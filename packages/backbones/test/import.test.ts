import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import {
  type Backbone,
  type BackboneName,
  createBackbone,
  encodeSafetensors,
  exportWeights,
  loadDetector,
  loadSafetensorsWeights,
  loadTfjsWeights,
  parseSafetensors,
  readSafetensors,
  saveDetector,
  writeSafetensors,
} from '../src';

let dir = '';
beforeAll(async () => {
  // wasm: the same exact-equality checks as on cpu, several times faster.
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'qad-backbones-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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

function output(net: Backbone, x: tf.Tensor4D): Float32Array {
  return tf
    .tidy(() => {
      const { logits, features } = net.forward(x);
      return tf.concat([logits.flatten(), ...Object.values(features).map((f) => f.flatten())]);
    })
    .dataSync() as Float32Array;
}

/** Randomises BN statistics too, so a swapped BN tensor would change the outputs. */
function randomizeBn(net: Backbone, seed: number): void {
  for (const layer of net.model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(
      layer.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed + i)),
    );
  }
}

describe('PyTorch state dicts in safetensors', () => {
  for (const name of ['resnet18', 'efficientnet_b0'] as BackboneName[]) {
    it(`${name}: export → .safetensors → import gives identical weights and outputs`, async () => {
      const source = createBackbone(name, { inputSize: 64, seed: 1 });
      randomizeBn(source, 10);
      const file = join(dir, `${name}.safetensors`);
      const state = exportWeights(source.model, 'torch');
      // A torchvision file also has num_batches_tracked, an int64 scalar the loader must skip.
      await writeSafetensors(file, state, { format: 'pt' });
      const bytes = await readFile(file);
      expect(Object.keys(parseSafetensors(bytes).tensors).length).toBe(Object.keys(state).length);
      if (name === 'resnet18') {
        expect(state['conv1.weight']!.shape).toEqual([64, 3, 7, 7]);
        expect(state['fc.weight']!.shape).toEqual([2, 512]);
        expect(Object.keys(state)).toContain('layer2.0.downsample.1.running_var');
      } else {
        expect(state['features.1.0.block.0.0.weight']!.shape).toEqual([32, 1, 3, 3]);
        expect(state['features.2.0.block.2.fc1.weight']!.shape).toEqual([4, 96, 1, 1]);
        expect(state['classifier.1.weight']!.shape).toEqual([2, 1280]);
      }
      const target = createBackbone(name, { inputSize: 64, seed: 2 });
      const report = await loadSafetensorsWeights(target, file);
      expect(report.missing).toEqual([]);
      expect(report.unexpected).toEqual([]);
      expect(report.loaded.length).toBe(Object.keys(state).length);
      expectSameWeights(source.model, target.model);
      const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      expect(Array.from(output(target, x))).toEqual(Array.from(output(source, x)));
      x.dispose();
      source.dispose();
      target.dispose();
    });
  }

  it('skips num_batches_tracked and widens float16 / bfloat16', () => {
    const header = JSON.stringify({
      a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] },
      'bn.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [6, 14] },
    });
    const h = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + h.length + 14);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(h.length), true);
    bytes.set(h, 8);
    view.setUint16(8 + h.length, 0x3c00, true); // 1.0
    view.setUint16(8 + h.length + 2, 0xc000, true); // −2.0
    view.setUint16(8 + h.length + 4, 0x4040, true); // bf16 3.0
    view.setBigInt64(8 + h.length + 6, 7n, true);
    const { tensors } = parseSafetensors(bytes);
    expect(Array.from(tensors.a!.values as Float32Array)).toEqual([1, -2]);
    expect(Array.from(tensors.b!.values as Float32Array)).toEqual([3]);
    expect((tensors['bn.num_batches_tracked']!.values as BigInt64Array)[0]).toBe(7n);
  });

  it('partial load: an ImageNet (1000-class) file into a 2-class detector with skipHead', async () => {
    const imagenet = createBackbone('resnet18', { inputSize: 64, numClasses: 1000, seed: 3 });
    const file = join(dir, 'imagenet.safetensors');
    await writeSafetensors(file, exportWeights(imagenet.model, 'torch'));
    const detector = createBackbone('resnet18', { inputSize: 64, seed: 4 });
    const headBefore = detector.model.getLayer('fc').getWeights()[0]!.dataSync().slice();
    await expect(loadSafetensorsWeights(detector, file)).rejects.toThrow(
      /mis-shaped \(2\): fc.weight file \[1000, 512\] vs model \[2, 512\], fc.bias file \[1000\] vs model \[2\]/,
    );
    const report = await loadSafetensorsWeights(detector, file, { skipHead: true });
    expect(report.skipped).toEqual(['fc.bias', 'fc.weight']);
    expect(report.missing).toEqual([]);
    expectSameWeights(imagenet.model, detector.model, ['fc']);
    expect(Array.from(detector.model.getLayer('fc').getWeights()[0]!.dataSync())).toEqual(
      Array.from(headBefore),
    );
    imagenet.dispose();
    detector.dispose();
  });

  it('lists missing, unexpected and mis-shaped keys in one error naming the function and the file', async () => {
    const net = createBackbone('resnet18', { inputSize: 64 });
    const state = exportWeights(net.model, 'torch');
    delete state['layer3.1.bn2.running_mean'];
    state['layer5.0.conv1.weight'] = { shape: [1], values: new Float32Array(1) };
    state['layer1.0.conv1.weight'] = { shape: [64, 64, 1, 1], values: new Float32Array(64 * 64) };
    const file = join(dir, 'broken.safetensors');
    await writeSafetensors(file, state);
    const error = await loadSafetensorsWeights(net, file).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`'loadSafetensorsWeights' cannot load ${file} into resnet18`);
    expect(message).toContain(
      'mis-shaped (1): layer1.0.conv1.weight file [64, 64, 1, 1] vs model [64, 64, 3, 3]',
    );
    expect(message).toContain('missing (1): layer3.1.bn2.running_mean');
    expect(message).toContain('unexpected (1): layer5.0.conv1.weight');
    // Nothing was written: the error comes before any assignment.
    const fresh = createBackbone('resnet18', { inputSize: 64 });
    expectSameWeights(fresh.model, net.model);
    // Non-strict loads what matches and reports the rest (mis-shaped still refuses).
    delete state['layer1.0.conv1.weight'];
    await writeSafetensors(file, state);
    const report = await loadSafetensorsWeights(net, file, { strict: false });
    expect(report.missing).toEqual(['layer1.0.conv1.weight', 'layer3.1.bn2.running_mean']);
    expect(report.unexpected).toEqual(['layer5.0.conv1.weight']);
    net.dispose();
    fresh.dispose();
  });

  it('a truncated or corrupt file gives an error naming the file', async () => {
    const net = createBackbone('resnet18', { inputSize: 64 });
    const file = join(dir, 'whole.safetensors');
    await writeSafetensors(file, exportWeights(net.model, 'torch'));
    const bytes = await readFile(file);
    const truncated = join(dir, 'truncated.safetensors');
    await writeFile(truncated, bytes.subarray(0, bytes.length - 1000));
    await expect(loadSafetensorsWeights(net, truncated)).rejects.toThrow(
      new RegExp(
        `'parseSafetensors' cannot read ${truncated}: tensor '.*' ends at byte \\d+ of a \\d+-byte data section \\(truncated\\)`,
      ),
    );
    const cut = join(dir, 'cut.safetensors');
    await writeFile(cut, bytes.subarray(0, 100));
    await expect(readSafetensors(cut)).rejects.toThrow(`cannot read ${cut}: the header claims`);
    const junk = join(dir, 'junk.safetensors');
    await writeFile(junk, Buffer.from('this is not a weight file at all'));
    await expect(readSafetensors(junk)).rejects.toThrow(`cannot read ${junk}`);
    const badJson = new Uint8Array(16);
    new DataView(badJson.buffer).setBigUint64(0, 8n, true);
    badJson.set(new TextEncoder().encode('{"a": 1'), 8);
    expect(() => parseSafetensors(badJson, 'x.safetensors')).toThrow(
      /x.safetensors: the header is not valid JSON/,
    );
    await expect(readSafetensors(join(dir, 'absent.safetensors'))).rejects.toThrow(/absent.safetensors/);
    net.dispose();
  });

  it('encodes a header that the Python reader accepts (8-byte aligned, sorted, float32)', () => {
    const bytes = encodeSafetensors({
      b: { shape: [1], values: new Float32Array([2]) },
      a: { shape: [2], values: new Float32Array([0, 1]) },
    });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.a).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] });
    expect(header.b).toEqual({ dtype: 'F32', shape: [1], data_offsets: [8, 12] });
  });
});

describe('tfjs format (Node file system)', () => {
  it('saveDetector → loadDetector round trip: same weights, same logits, atomic files only', async () => {
    const net = createBackbone('efficientnet_b0', { inputSize: 64, seed: 5 });
    randomizeBn(net, 20);
    const out = join(dir, 'detector');
    await saveDetector(net, out);
    expect((await readdir(out)).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadDetector(out);
    expectSameWeights(net.model, loaded);
    const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const a = net.model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    // Saving again over the same directory replaces the files and leaves no temporary file.
    await saveDetector(loaded, out);
    expect((await readdir(out)).sort()).toEqual(['model.json', 'weights.bin']);
    tf.dispose([x, a, b]);
    loaded.dispose();
    net.dispose();
  });

  it('loadTfjsWeights restores taps too, and loads a backbone into a different head with skipHead', async () => {
    const net = createBackbone('resnet18', { inputSize: 64, seed: 6 });
    const out = join(dir, 'tfjs-weights');
    await saveDetector(net, out);
    const again = createBackbone('resnet18', { inputSize: 64, seed: 7 });
    const report = await loadTfjsWeights(again, join(out, 'model.json'));
    expect(report.missing).toEqual([]);
    const x = tf.randomNormal([1, 64, 64, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    expect(Array.from(output(again, x))).toEqual(Array.from(output(net, x)));
    const fiveClass = createBackbone('resnet18', { inputSize: 64, numClasses: 5 });
    await expect(loadTfjsWeights(fiveClass, out)).rejects.toThrow(
      /'loadTfjsWeights' cannot load .* mis-shaped \(2\): fc\/kernel/,
    );
    await loadTfjsWeights(fiveClass, out, { skipHead: true });
    expectSameWeights(net.model, fiveClass.model, ['fc']);
    x.dispose();
    net.dispose();
    again.dispose();
    fiveClass.dispose();
  });

  it('a truncated weight shard or a missing model.json gives an error naming the file', async () => {
    const net = createBackbone('resnet18', { inputSize: 64 });
    const out = join(dir, 'truncated-tfjs');
    await saveDetector(net, out);
    const shard = join(out, 'weights.bin');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, bytes.length - 4096));
    await expect(loadDetector(out)).rejects.toThrow(
      `cannot read ${join(out, 'model.json')}: its shards hold`,
    );
    await expect(loadTfjsWeights(net, join(dir, 'nowhere'))).rejects.toThrow(
      `cannot read ${join(dir, 'nowhere', 'model.json')}`,
    );
    await writeFile(join(out, 'model.json'), '{"not": "a model"}');
    await expect(loadDetector(out)).rejects.toThrow(/no 'weightsManifest'/);
    net.dispose();
  });
});

describe('memory', () => {
  it('loading and exporting weights leave no tensors behind', async () => {
    const net = createBackbone('efficientnet_b0', { inputSize: 32 });
    const file = join(dir, 'memory.safetensors');
    const before = tf.memory().numTensors;
    await writeSafetensors(file, exportWeights(net.model, 'torch'));
    await loadSafetensorsWeights(net, file);
    await saveDetector(net, join(dir, 'memory'));
    await loadTfjsWeights(net, join(dir, 'memory'));
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
