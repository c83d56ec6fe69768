import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, resolveExperiment } from '../src/config';
import { runExperiment } from '../src/experiment/run_experiment';
import { useTinyBenchmark } from './tiny_benchmark';

const { dir, data } = useTinyBenchmark('qad-resume-', 2);

const config = (output: string) =>
  resolveExperiment(
    parseConfig({
      name: 'resume',
      data: data({ preResize: null }),
      model: { backbone: 'resnet18', inputSize: 32, widthMultiplier: 0.125 },
      train: {
        method: 'qad',
        epochs: 2,
        batchPerQuality: 2,
        learningRate: 1e-3,
        awpWarmupEpochs: 0,
        validationWarmupEpochs: 0,
        validationsPerEpoch: 1,
        seed: 5,
      },
      eval: { qualities: ['raw', 'c40'], batchSize: 16 },
      output: join(dir, output),
      backend: 'wasm',
    }),
  );

describe('runExperiment resume (real loader, face crops, QAD)', () => {
  it('a run killed mid-epoch and resumed ends with the same checkpoint bytes as an uninterrupted run', async () => {
    await runExperiment(config('whole'));
    await expect(
      runExperiment(config('killed'), {
        onStep: (e) => {
          // 8 training samples / 2 per block = 4 batches per epoch: the epoch-0 checkpoint holds step 4.
          if (e.step === 5) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const steps: number[] = [];
    const resumed = await runExperiment(config('killed'), {
      resume: true,
      onStep: (e) => steps.push(e.step),
    });
    expect(steps).toEqual([4, 5, 6, 7]);
    expect(resumed.training.qad!.resumed).toBe(true);
    const bytes = (run: string) => readFileSync(join(dir, run, 'checkpoints', 'qad', 'last', 'tensors.bin'));
    expect(bytes('killed').equals(bytes('whole'))).toBe(true);
    expect(resumed.evaluation.perQuality.c40!.auc).toBe(
      JSON.parse(readFileSync(join(dir, 'whole', 'results.json'), 'utf8')).evaluation.perQuality.c40.auc,
    );
  });
});
