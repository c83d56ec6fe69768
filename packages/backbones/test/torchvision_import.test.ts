import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import {
  type BackboneName,
  createBackbone,
  encodeSafetensors,
  type Float32Entry,
  loadSafetensorsWeights,
} from '../src';
import { maxRelError } from './helpers';

// PyTorch import against torchvision itself, not against this package's own export: the fixtures hold
// torchvision's state-dict names and shapes and its eval-mode logits, for weights that
// test/fixtures/make_torchvision_fixtures.py sets with a formula recomputed here bit for bit (see there), and
// its default tap points' outputs reduced along channels and along space.

interface Fixture {
  model: BackboneName;
  torchvision: string;
  inputSize: number;
  batch: number;
  inputSeed: number;
  logits: number[][];
  /** Default tap outputs: NHWC shape, per-channel means over batch and space, first image's per-position means over channels. */
  taps: Array<{ name: string; shape: number[]; channelMean: number[]; positionMean: number[] }>;
  entries: Array<{
    name: string;
    shape: number[];
    kind: 'weight' | 'gamma' | 'var' | 'small';
    fanIn: number;
    seed: number;
  }>;
}

/** u in [0, 1) from the generator's LCG: state ← (1664525·state + 1013904223) mod 2³², u = state / 2³². */
function lcg(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 4294967296;
  }
  return out;
}

function entryValues(e: Fixture['entries'][number]): Float32Array {
  const u = lcg(
    e.seed,
    e.shape.reduce((a, b) => a * b, 1),
  );
  const scale = e.kind === 'weight' ? Math.sqrt(6 / e.fanIn) : 0;
  return Float32Array.from(u, (v) => {
    const centred = 2 * v - 1;
    if (e.kind === 'weight') return centred * scale;
    if (e.kind === 'gamma') return 1 + 0.5 * centred;
    if (e.kind === 'var') return 0.5 + v;
    return 0.1 * centred;
  });
}

const TOLERANCE = 1e-4;
let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'qad-torchvision-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PyTorch weights produced by torchvision load into the same network (wasm backend)', () => {
  for (const model of ['resnet18', 'efficientnet_b0'] as const) {
    it(`${model}: every state-dict entry maps, batch-norm statistics included, and the tap outputs and logits are torchvision's (≤ ${TOLERANCE})`, async () => {
      const fixture = JSON.parse(
        readFileSync(join(import.meta.dirname, 'fixtures', `torchvision-${model}.json`), 'utf8'),
      ) as Fixture;
      const tensors: Record<string, Float32Entry> = {};
      for (const e of fixture.entries) tensors[e.name] = { shape: e.shape, values: entryValues(e) };
      const file = join(dir, `${model}.safetensors`);
      await writeFile(file, encodeSafetensors(tensors));

      const net = createBackbone(model, { inputSize: fixture.inputSize, numClasses: 2, seed: 99 });
      const report = await loadSafetensorsWeights(net, file);
      expect(report.missing).toEqual([]);
      expect(report.unexpected).toEqual([]);
      expect(report.loaded.length).toBe(fixture.entries.length);

      const { batch, inputSize: s } = fixture;
      const nchw = Float32Array.from(lcg(fixture.inputSeed, batch * 3 * s * s), (v) => 2 * v - 1);
      const before = tf.memory().numTensors;
      const { logits, taps } = tf.tidy(() => {
        const x = tf.transpose(tf.tensor4d(nchw, [batch, 3, s, s]), [0, 2, 3, 1]) as tf.Tensor4D;
        const out = net.forward(x);
        const reduced: Record<string, { shape: number[]; channelMean: tf.Tensor; positionMean: tf.Tensor }> =
          {};
        for (const [name, f] of Object.entries(out.features)) {
          reduced[name] = {
            shape: f.shape,
            channelMean: f.mean([0, 1, 2]),
            positionMean: f.slice([0, 0, 0, 0], [1, -1, -1, -1]).mean(3).reshape([-1]),
          };
        }
        return { logits: out.logits, taps: reduced };
      });
      const got = await logits.data();
      expect(Object.keys(taps)).toEqual(fixture.taps.map((t) => t.name));
      for (const want of fixture.taps) {
        const tap = taps[want.name]!;
        expect(tap.shape, want.name).toEqual(want.shape);
        const channels = await tap.channelMean.data();
        const positions = await tap.positionMean.data();
        expect(maxRelError(channels, want.channelMean), `${want.name} channel means`).toBeLessThanOrEqual(
          TOLERANCE,
        );
        expect(maxRelError(positions, want.positionMean), `${want.name} position means`).toBeLessThanOrEqual(
          TOLERANCE,
        );
      }
      tf.dispose([logits, ...Object.values(taps).flatMap((t) => [t.channelMean, t.positionMean])]);
      expect(tf.memory().numTensors).toBe(before);
      const want = fixture.logits.flat();
      // The weights are far from an identity map: the logits differ between the two images and classes.
      expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(1e-2);
      expect(maxRelError(got, want), `ours ${Array.from(got)} vs torchvision ${want}`).toBeLessThanOrEqual(
        TOLERANCE,
      );
      net.dispose();
    });
  }

  it('a wrong batch-norm mapping would be caught: swapping one running mean and variance moves the logits', async () => {
    const fixture = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures', 'torchvision-resnet18.json'), 'utf8'),
    ) as Fixture;
    const tensors: Record<string, Float32Entry> = {};
    for (const e of fixture.entries) tensors[e.name] = { shape: e.shape, values: entryValues(e) };
    const mean = tensors['layer2.0.bn1.running_mean']!;
    tensors['layer2.0.bn1.running_mean'] = tensors['layer2.0.bn1.running_var']!;
    tensors['layer2.0.bn1.running_var'] = mean;
    const file = join(dir, 'resnet18-swapped.safetensors');
    await writeFile(file, encodeSafetensors(tensors));
    const net = createBackbone('resnet18', { inputSize: fixture.inputSize, numClasses: 2 });
    await loadSafetensorsWeights(net, file);
    const { batch, inputSize: s } = fixture;
    const nchw = Float32Array.from(lcg(fixture.inputSeed, batch * 3 * s * s), (v) => 2 * v - 1);
    const got = tf.tidy(() =>
      net
        .forward(tf.transpose(tf.tensor4d(nchw, [batch, 3, s, s]), [0, 2, 3, 1]) as tf.Tensor4D)
        .logits.dataSync(),
    );
    expect(maxRelError(got, fixture.logits.flat())).toBeGreaterThan(100 * TOLERANCE);
    net.dispose();
  });
});
