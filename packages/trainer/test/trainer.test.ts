import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { presetFor } from '../src/presets';
import { train } from '../src/trainer';
import { syntheticEval, syntheticSource } from './synthetic_source';
import { tinyBackbone } from './tiny_backbone';

const root = mkdtempSync(join(tmpdir(), 'qad-trainer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const QUALITIES = ['raw', 'c23', 'c40'];
const common = {
  epochs: 3,
  learningRate: 0.02,
  alpha: 0.01,
  gamma: 0.01,
  awpWarmupEpochs: 1,
  validationWarmupEpochs: 1,
  validationsPerEpoch: 2,
  hsic: { preset: 'paper' as const, sigma: 2 },
};

function weightsOf(net: ReturnType<typeof tinyBackbone>): number[][] {
  return net.model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('train', () => {
  it('a killed run resumed from its last checkpoint ends with exactly the weights of an uninterrupted run', async () => {
    const reference = tinyBackbone(11);
    await train({
      ...common,
      backbone: reference,
      train: syntheticSource({ seed: 3, samples: 12, batch: 3, qualities: QUALITIES }),
    });

    const dir = join(root, 'resume');
    const killed = tinyBackbone(11);
    await expect(
      train({
        ...common,
        backbone: killed,
        train: syntheticSource({
          seed: 3,
          samples: 12,
          batch: 3,
          qualities: QUALITIES,
          failAt: { epoch: 1, batch: 3 },
        }),
        checkpointDir: dir,
        checkpointEvery: 2,
      }),
    ).rejects.toThrow('simulated crash at epoch 1 batch 3');
    // Steps 0–6 ran, the last checkpoint holds step 6; step 7 is redone after the restart.
    const fresh = tinyBackbone(99); // different initial weights: everything must come from the checkpoint
    const result = await train({
      ...common,
      backbone: fresh,
      train: syntheticSource({ seed: 3, samples: 12, batch: 3, qualities: QUALITIES }),
      checkpointDir: dir,
      resume: true,
    });
    expect(result.resumed).toBe(true);
    expect(result.steps).toBe(12);
    expect(weightsOf(fresh)).toEqual(weightsOf(reference));
  });

  it('validates after the warm-up, keeps the best checkpoint by pooled accuracy and logs every step as JSONL', async () => {
    const dir = join(root, 'validate');
    const logFile = join(dir, 'log.jsonl');
    const values: number[] = [];
    const net = tinyBackbone(12);
    const before = tf.memory().numTensors;
    const result = await train({
      ...common,
      backbone: net,
      train: syntheticSource({ seed: 4, samples: 12, batch: 3, qualities: QUALITIES }),
      validation: syntheticEval({ samples: 8, qualities: QUALITIES }),
      checkpointDir: dir,
      logFile,
      onValidation: (e) => values.push(e.value),
    });
    expect(tf.memory().numTensors).toBe(before);
    // 2 validations per epoch in epochs 1 and 2 (epoch 0 is warm-up).
    expect(values).toHaveLength(4);
    expect(result.best?.value).toBe(Math.max(...values));
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step')).toHaveLength(12);
    expect(lines.filter((l) => l.type === 'validation')).toHaveLength(4);
    expect(lines[0].type).toBe('start');
    expect(lines.at(-1).type).toBe('end');
    const steps = lines.filter((l) => l.type === 'step');
    expect(steps.map((l) => l.awp)).toEqual([...Array(4).fill(false), ...Array(8).fill(true)]);
    expect(JSON.parse(readFileSync(join(dir, 'best', 'checkpoint.json'), 'utf8')).state.best.value).toBe(
      result.best?.value,
    );
  });

  it("takes unset hyper-parameters from the backbone's authors preset, EfficientNets' differing from ResNets'", async () => {
    const used = async (name: string | undefined) => {
      const logFile = join(root, `preset-${name}.jsonl`);
      await train({
        backbone: { ...tinyBackbone(14), name },
        train: syntheticSource({ seed: 6, samples: 6, batch: 3, qualities: QUALITIES }),
        epochs: 1,
        hsic: { preset: 'paper', sigma: 2 },
        logFile,
      });
      const start = JSON.parse(readFileSync(logFile, 'utf8').split('\n')[0]!);
      return JSON.parse(start.fingerprint) as { alpha: number; gamma: number; learningRate: number };
    };
    const b1 = await used('efficientnet_b1');
    const r50 = await used('resnet50');
    for (const [got, name] of [
      [b1, 'efficientnet_b1'],
      [r50, 'resnet50'],
    ] as const) {
      const p = presetFor(name);
      expect(got).toMatchObject({ alpha: p.alpha, gamma: p.gamma, learningRate: p.learningRate });
    }
    expect(b1.alpha).not.toBe(r50.alpha);
    expect(b1.gamma).not.toBe(r50.gamma);
    // A backbone without a registry name gets the ResNet preset.
    expect(await used(undefined)).toEqual(r50);
  });

  it('stops on a NaN loss naming step and batch, keeping the last good checkpoint', async () => {
    const dir = join(root, 'nan');
    const net = tinyBackbone(13);
    const src = syntheticSource({ seed: 5, samples: 12, batch: 3, qualities: QUALITIES });
    const poisoned = {
      ...src,
      async *epoch(epoch: number, from = 0) {
        let k = from;
        for await (const batch of src.epoch(epoch, from)) {
          if (epoch === 1 && k === 2) {
            const images = tf.mul(batch.images, Number.NaN) as tf.Tensor4D;
            batch.images.dispose();
            yield { ...batch, images, dispose: () => tf.dispose([images, batch.labels]) };
          } else yield batch;
          k++;
        }
      },
    };
    await expect(
      train({ ...common, backbone: net, train: poisoned, checkpointDir: dir, checkpointEvery: 1 }),
    ).rejects.toThrow(/Training loss became NaN at step 6 .*batch samples \[/);
    const saved = JSON.parse(readFileSync(join(dir, 'last', 'checkpoint.json'), 'utf8'));
    expect(saved.state.step).toBe(6);
  });

  it('rejects bad options with the option named', async () => {
    const src = syntheticSource({ seed: 1, samples: 6, batch: 3, qualities: QUALITIES });
    await expect(train({ ...common, backbone: tinyBackbone(1), train: src, alpha: -1 })).rejects.toThrow(
      "Option 'alpha' passed to 'train' must be a finite number ≥ 0, got -1.",
    );
    await expect(
      train({ ...common, backbone: tinyBackbone(1), train: src, method: 'quality-aware' }),
    ).rejects.toThrow(/trains one model per quality/);
    const empty = syntheticSource({ seed: 1, samples: 2, batch: 3, qualities: QUALITIES });
    await expect(train({ ...common, backbone: tinyBackbone(1), train: empty })).rejects.toThrow(
      'The training source has 0 batches per epoch; it needs at least one (is the split empty?).',
    );
  });
});
