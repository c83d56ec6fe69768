import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import {
  type Backbone,
  createBackbone,
  exportWeights,
  type Float32Entry,
  loadSafetensorsWeights,
  writeSafetensors,
} from '../src';

let dir = '';
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'qad-timm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * torchvision EfficientNet key → timm key, from timm's `efficientnet_b0` module tree: `conv_stem`/`bn1`,
 * `blocks.{stage−1}.{j}` (stage 1 a DepthwiseSeparableConv: conv_dw, bn1, se, conv_pw, bn2; the others
 * InvertedResidual: conv_pw, bn1, conv_dw, bn2, se, conv_pwl, bn3), `conv_head`/`bn2`, `classifier`.
 */
function timmKey(key: string): string {
  const fixed: Record<string, string> = {
    'features.0.0': 'conv_stem',
    'features.0.1': 'bn1',
    'features.8.0': 'conv_head',
    'features.8.1': 'bn2',
    'classifier.1': 'classifier',
  };
  const top = /^(features\.[08]\.[01]|classifier\.1)\.(\w+)$/.exec(key);
  if (top) return `${fixed[top[1]!]}.${top[2]}`;
  const m = /^features\.(\d)\.(\d+)\.block\.(\d)\.(0|1|fc1|fc2)\.(\w+)$/.exec(key);
  if (!m) throw new Error(`test mapping has no timm name for ${key}`);
  const [, stage, j, sub, part, param] = m;
  const separable: Record<string, string> = {
    '0.0': 'conv_dw',
    '0.1': 'bn1',
    '1.fc1': 'se.conv_reduce',
    '1.fc2': 'se.conv_expand',
    '2.0': 'conv_pw',
    '2.1': 'bn2',
  };
  const inverted: Record<string, string> = {
    '0.0': 'conv_pw',
    '0.1': 'bn1',
    '1.0': 'conv_dw',
    '1.1': 'bn2',
    '2.fc1': 'se.conv_reduce',
    '2.fc2': 'se.conv_expand',
    '3.0': 'conv_pwl',
    '3.1': 'bn3',
  };
  const table = stage === '1' ? separable : inverted;
  return `blocks.${Number(stage) - 1}.${j}.${table[`${sub}.${part}`]}.${param}`;
}

function output(net: Backbone, x: tf.Tensor4D): number[] {
  const all = tf.tidy(() => {
    const { logits: l, features } = net.forward(x);
    return tf.concat([l.flatten(), ...Object.values(features).map((f) => f.flatten())]);
  });
  const values = Array.from(all.dataSync());
  all.dispose();
  return values;
}

/** Every weight of the model, concatenated in layer order, as raw bytes (fast exact comparison). */
function weights(net: Backbone): Buffer {
  const parts = net.model.layers.flatMap((l) => l.getWeights().map((w) => w.dataSync() as Float32Array));
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}

describe('timm EfficientNet state dicts', () => {
  it('a timm-named efficientnet_b0 file loads like the torchvision-named one: same weights and outputs', async () => {
    const source = createBackbone('efficientnet_b0', { inputSize: 64, seed: 1 });
    for (const layer of source.model.layers) {
      if (layer.getClassName() === 'BatchNormalization') {
        layer.setWeights(
          layer.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 40 + i)),
        );
      }
    }
    const torchvision = exportWeights(source.model, 'torch');
    const timm: Record<string, Float32Entry> = {};
    for (const [key, value] of Object.entries(torchvision)) timm[timmKey(key)] = value;
    // Shapes of well-known timm efficientnet_b0 keys (2-class head).
    const shapes: Record<string, number[]> = {
      'conv_stem.weight': [32, 3, 3, 3],
      'bn1.running_var': [32],
      'blocks.0.0.conv_dw.weight': [32, 1, 3, 3],
      'blocks.0.0.se.conv_reduce.weight': [8, 32, 1, 1],
      'blocks.0.0.se.conv_expand.bias': [32],
      'blocks.0.0.conv_pw.weight': [16, 32, 1, 1],
      'blocks.0.0.bn2.weight': [16],
      'blocks.1.0.conv_pw.weight': [96, 16, 1, 1],
      'blocks.1.0.conv_dw.weight': [96, 1, 3, 3],
      'blocks.1.0.se.conv_reduce.weight': [4, 96, 1, 1],
      'blocks.1.0.conv_pwl.weight': [24, 96, 1, 1],
      'blocks.1.0.bn3.running_mean': [24],
      'blocks.5.3.conv_dw.weight': [1152, 1, 5, 5],
      'blocks.6.0.conv_pwl.weight': [320, 1152, 1, 1],
      'conv_head.weight': [1280, 320, 1, 1],
      'bn2.bias': [1280],
      'classifier.weight': [2, 1280],
    };
    for (const [key, shape] of Object.entries(shapes)) expect(timm[key]?.shape, key).toEqual(shape);
    // The package's own timm export agrees with the mapping above.
    expect(Object.keys(exportWeights(source.model, 'torch', { naming: 'timm' })).sort()).toEqual(
      Object.keys(timm).sort(),
    );

    const timmFile = join(dir, 'b0_timm.safetensors');
    const tvFile = join(dir, 'b0_tv.safetensors');
    await writeSafetensors(timmFile, timm);
    await writeSafetensors(tvFile, torchvision);
    const a = createBackbone('efficientnet_b0', { inputSize: 64, seed: 2 });
    const b = createBackbone('efficientnet_b0', { inputSize: 64, seed: 3 });
    const report = await loadSafetensorsWeights(a, timmFile); // naming detected
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.loaded).toContain('blocks.1.0.conv_pwl.weight');
    await loadSafetensorsWeights(b, tvFile);
    expect(weights(a).equals(weights(b))).toBe(true);
    expect(weights(a).equals(weights(source))).toBe(true);
    const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    expect(output(a, x)).toEqual(output(b, x));
    // Explicit naming gives the same; the wrong naming lists the file's keys as unexpected.
    await loadSafetensorsWeights(b, timmFile, { naming: 'timm' });
    await expect(loadSafetensorsWeights(b, timmFile, { naming: 'torchvision' })).rejects.toThrow(
      /missing \(311\): features\.0\.0\.weight, .*; unexpected \(311\): blocks\.0\.0\.bn1\.bias, /,
    );
    x.dispose();
    for (const n of [source, a, b]) n.dispose();
  });

  it('errors list timm key names; skipHead leaves out timm’s `classifier`', async () => {
    const imagenet = createBackbone('efficientnet_b0', { inputSize: 32, numClasses: 1000 });
    const timm: Record<string, Float32Entry> = {};
    for (const [key, value] of Object.entries(exportWeights(imagenet.model, 'torch')))
      timm[timmKey(key)] = value;
    delete timm['blocks.2.1.bn2.running_mean'];
    const file = join(dir, 'b0_timm_imagenet.safetensors');
    await writeSafetensors(file, timm);
    const detector = createBackbone('efficientnet_b0', { inputSize: 32 });
    const message = await loadSafetensorsWeights(detector, file).catch((e: Error) => e.message);
    expect(message).toContain(
      'mis-shaped (2): classifier.weight file [1000, 1280] vs model [2, 1280], classifier.bias file [1000] vs model [2]',
    );
    expect(message).toContain('missing (1): blocks.2.1.bn2.running_mean');
    const report = await loadSafetensorsWeights(detector, file, { skipHead: true, strict: false });
    expect(report.skipped).toEqual(['classifier.bias', 'classifier.weight']);
    expect(report.missing).toEqual(['blocks.2.1.bn2.running_mean']);
    imagenet.dispose();
    detector.dispose();
  });

  it('timm ResNets share torchvision’s names: naming "timm" loads them unchanged', async () => {
    const source = createBackbone('resnet18', { inputSize: 32, seed: 5 });
    const file = join(dir, 'r18_timm.safetensors');
    await writeSafetensors(file, exportWeights(source.model, 'torch'));
    expect(Object.keys(exportWeights(source.model, 'torch', { naming: 'timm' }))).toEqual(
      Object.keys(exportWeights(source.model, 'torch')),
    );
    const target = createBackbone('resnet18', { inputSize: 32, seed: 6 });
    const report = await loadSafetensorsWeights(target, file, { naming: 'timm' });
    expect(report.missing).toEqual([]);
    expect(report.loaded).toContain('layer1.0.conv1.weight');
    expect(weights(target).equals(weights(source))).toBe(true);
    source.dispose();
    target.dispose();
  });
});
