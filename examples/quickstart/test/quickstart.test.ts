import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeToyFaces } from '../src/toy_faces';
import { predictFake, train } from '../src/train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function psnr(a: Float32Array, b: Float32Array): number {
  let mse = 0;
  for (let i = 0; i < a.length; i++) mse += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10(1 / (mse / a.length));
}

describe('toy faces', () => {
  const data = makeToyFaces({ count: 200, seed: 3 });

  it('is reproducible for a seed and differs across seeds', () => {
    expect(makeToyFaces({ count: 200, seed: 3 }).images.c40).toEqual(data.images.c40);
    expect(makeToyFaces({ count: 200, seed: 4 }).images.raw).not.toEqual(data.images.raw);
  });

  it('has both classes and degrades with quality: PSNR(raw, c23) > PSNR(raw, c40)', () => {
    const fakes = data.labels.reduce((s, v) => s + v, 0);
    expect(fakes).toBeGreaterThan(60);
    expect(fakes).toBeLessThan(140);
    expect(psnr(data.images.raw, data.images.c23)).toBeGreaterThan(
      psnr(data.images.raw, data.images.c40) + 1,
    );
  });
});

describe('training loop', () => {
  const data = makeToyFaces({ count: 128, seed: 5 });
  const options = {
    name: 'test',
    steps: 12,
    batchPerQuality: 16,
    learningRate: 2e-3,
    awpWarmupSteps: 4,
    tapWeights: { hidden1: 0.25, hidden2: 0.5 },
    seed: 1,
  };

  it('QAD (HSIC + AWP) trains without leaking tensors and gives probabilities', () => {
    const before = tf.memory().numTensors;
    const detector = train(data, { ...options, alpha: 0.001, gamma: 0.001 });
    const scores = predictFake(detector, data, 'c40');
    expect(scores).toHaveLength(128);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    detector.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const detector = train(data, { ...options, alpha: 0.001, gamma: 0.001 });
      const scores = predictFake(detector, data, 'raw');
      detector.model.dispose();
      return scores;
    };
    expect(run()).toEqual(run());
  });
});
