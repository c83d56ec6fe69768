import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runQuickstart } from '../src/quickstart';

const out = mkdtempSync(join(tmpdir(), 'qad-quickstart-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('quickstart', () => {
  it('generates the benchmark, trains CE and QAD, and reports every test quality for both, leaking no tensors', async () => {
    const steps: string[] = [];
    const result = await runQuickstart({
      out,
      seed: 3,
      epochs: 1,
      framesPerVideo: 2,
      strength: 1,
      pairs: { train: 4, val: 1, test: 1 },
      inputSize: 64,
      methods: ['ce', 'qad'],
      log: () => {},
      onStep: (e, model) => steps.push(`${model}:${e.step}`),
    });
    // 4 training pairs → 8 originals + 16 fakes, 2 frames each = 48 samples → 6 batches of 8 per quality.
    const six = [0, 1, 2, 3, 4, 5];
    expect(steps).toEqual([...six.map((s) => `ce:${s}`), ...six.map((s) => `qad:${s}`)]);
    for (const method of ['ce', 'qad']) {
      const e = result.evaluations[method]!;
      expect(Object.keys(e.perQuality)).toEqual(['raw', 'c23', 'c40', 'jpeg']);
      // Test split: 1 pair → 2 originals + 4 fakes, 2 frames each.
      expect(e.perQuality.c40!.frames).toBe(12);
      expect(readdirSync(join(out, method))).toEqual(
        expect.arrayContaining([
          'results.md',
          'results.csv',
          'results.json',
          'roc.svg',
          'roc.png',
          'tsne.svg',
          'detector',
        ]),
      );
    }
    expect(result.markdown).toMatch(/\| ce \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
    expect(result.markdown).toMatch(/\| qad \| /);
    expect(tf.memory().numTensors).toBe(0);
  });
});
