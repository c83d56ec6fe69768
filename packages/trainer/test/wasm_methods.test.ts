import { AdversarialWeightPerturbation } from '@qad/awp';
import { selectBackend } from '@qad/backend';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../src/adam';
import { METHOD_NAMES, resolveMethod } from '../src/methods';
import { trainStep } from '../src/train_step';
import { randomBatch, tinyBackbone } from './tiny_backbone';

beforeAll(async () => {
  await selectBackend('wasm');
});

// The default backend lacks some gradient kernels (e.g. UnsortedSegmentSum for gather): every method's step
// must run on it.
describe('every method trains on the wasm backend', () => {
  const methods = [
    ...METHOD_NAMES.filter((m) => m !== 'quality-aware'),
    'soft-label+awp-kl',
    'center+awp-xe',
  ];
  for (const name of methods) {
    it(`${name}: a finite loss, weights moved, no tensor left`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const net = tinyBackbone(21);
      const method = resolveMethod(name);
      const awp =
        method.awp === 'none' ? null : new AdversarialWeightPerturbation(net.model, { gamma: 0.01 });
      const optimizer = new Adam();
      const batch = randomBatch(4, ['raw', 'c23', 'c40'], 4);
      const before = net.model.getWeights()[0]!.dataSync().slice();
      const target = { backbone: net, optimizer, awp, method };
      const settings = { step: 0, alpha: 0.1, awpActive: true, learningRate: 0.01, beta1: 0.9 };
      const first = trainStep(target, batch, settings);
      const count = tf.memory().numTensors;
      trainStep(target, batch, { ...settings, step: 1 });
      expect(tf.memory().numTensors).toBe(count);
      expect(Number.isFinite(first.loss)).toBe(true);
      expect(Array.from(net.model.getWeights()[0]!.dataSync())).not.toEqual(Array.from(before));
      batch.dispose();
      optimizer.dispose();
      net.model.dispose();
    });
  }
});
