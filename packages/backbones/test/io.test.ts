import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../backend/src';
import { type Backbone, createBackbone, loadDetector, loadTfjsWeights, saveDetector } from '../src';

let dir = '';
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'qad-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function logits(model: tf.LayersModel, x: tf.Tensor4D): number[] {
  return Array.from(tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()));
}

function taps(net: Backbone, x: tf.Tensor4D): number[] {
  const all = tf.tidy(() => {
    const { logits: l, features } = net.forward(x);
    return tf.concat([l.flatten(), ...Object.values(features).map((f) => f.flatten())]);
  });
  const values = Array.from(all.dataSync());
  all.dispose();
  return values;
}

describe('saveDetector / loadDetector with any tfjs IOHandler or URL', () => {
  it('round trip through an in-memory IOHandler (what a browser handler receives), taps restored too', async () => {
    const net = createBackbone('efficientnet_b0', { inputSize: 32, seed: 3 });
    const before = tf.memory().numTensors;
    let saved: tf.io.ModelArtifacts | null = null;
    const result = await saveDetector(
      net,
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');
    const artifacts = saved as unknown as tf.io.ModelArtifacts;
    expect(artifacts.weightSpecs?.map((s) => s.name)).toContain('features.2.0.block.1.0/depthwise_kernel');
    const loaded = await loadDetector(tf.io.fromMemory(artifacts));
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    expect(logits(loaded, x)).toEqual(logits(net.model, x));
    const again = createBackbone('efficientnet_b0', { inputSize: 32, seed: 4 });
    const report = await loadTfjsWeights(again, tf.io.fromMemory(artifacts));
    expect(report.missing).toEqual([]);
    expect(taps(again, x)).toEqual(taps(net, x));
    loaded.dispose();
    again.dispose();
    x.dispose();
    // Saving and loading through handlers leaves no tensors beyond the loaded models' weights (disposed).
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('a file:// URL is the Node file-system handler', async () => {
    const net = createBackbone('resnet18', { inputSize: 32, seed: 5 });
    const out = join(dir, 'url detector');
    const url = pathToFileURL(out).href; // percent-encodes the space
    expect(url).toContain('%20');
    await saveDetector(net, url);
    expect((await readdir(out)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    const loaded = await loadDetector(`${url}/model.json`);
    const x = tf.randomNormal([1, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    expect(logits(loaded, x)).toEqual(logits(net.model, x));
    tf.dispose(x);
    loaded.dispose();
    net.dispose();
  });

  it('URLs that tfjs cannot route here give an error naming the function and the URL', async () => {
    const net = createBackbone('resnet18', { inputSize: 32 });
    // Node has no localStorage / IndexedDB: tfjs registers those routers in browsers only.
    await expect(saveDetector(net, 'localstorage://qad')).rejects.toThrow(
      "'saveDetector' found no tfjs save handler for 'localstorage://qad'",
    );
    await expect(loadDetector('indexeddb://qad')).rejects.toThrow(
      "'loadDetector' found no tfjs load handler for 'indexeddb://qad'",
    );
    await expect(loadTfjsWeights(net, 'indexeddb://qad')).rejects.toThrow(
      "'loadTfjsWeights' found no tfjs load handler for 'indexeddb://qad'",
    );
    net.dispose();
  });

  it('http(s):// URLs go to tfjs’s HTTP handler (save: a multipart POST through fetch)', async () => {
    const net = createBackbone('resnet18', { inputSize: 32 });
    const requests: Array<{ url: string; method: string; parts: string[] }> = [];
    vi.stubGlobal('fetch', async (url: string | URL | Request, init?: RequestInit) => {
      const body = init?.body as FormData;
      requests.push({ url: String(url), method: init?.method ?? 'GET', parts: [...body.keys()] });
      return new Response('{}', { status: 200 });
    });
    try {
      await saveDetector(net, 'https://example.invalid/upload');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(requests).toEqual([
      { url: 'https://example.invalid/upload', method: 'POST', parts: ['model.json', 'model.weights.bin'] },
    ]);
    net.dispose();
  });
});

describe('browser safety', () => {
  it('no source file imports node:* or h5wasm at module top level (only lazily, inside the Node paths)', async () => {
    const src = join(import.meta.dirname, '..', 'src');
    const files = (await readdir(src)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    let lazy = 0;
    for (const f of files) {
      const text = await readFile(join(src, f), 'utf8');
      for (const line of text.split('\n')) {
        // Type-only imports vanish from the JavaScript output.
        if (/^\s*(import|export)\s+(?!type\b)[^;]*from\s+'(node:|h5wasm)/.test(line))
          offenders.push(`${f}: ${line}`);
      }
      lazy += (text.match(/import\(\s*(?:\/\*[^*]*\*\/\s*)*'(node:[^']+|h5wasm)'\)/g) ?? []).length;
    }
    expect(offenders).toEqual([]);
    // The lazy imports exist (file-system handler, h5wasm; atomic writes are @qad/core's, checked there).
    expect(lazy).toBeGreaterThanOrEqual(3);
  });
});
