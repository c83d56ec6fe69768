import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import { type BackboneName, createBackbone } from '../src';

// Shapes at every registered size here; the values of the taps and logits are checked against torchvision
// itself in torchvision_import.test.ts.
// Full-size forwards: wasm (XNNPACK) runs each in well under a second; the cpu backend takes 5–25 s.
beforeAll(async () => {
  await selectBackend('wasm');
});

const EXPECTED: Record<BackboneName, [string, number[]][]> = {
  resnet18: [
    ['layer1', [1, 56, 56, 64]],
    ['layer2', [1, 28, 28, 128]],
    ['layer3', [1, 14, 14, 256]],
  ],
  resnet34: [
    ['layer1', [1, 56, 56, 64]],
    ['layer2', [1, 28, 28, 128]],
    ['layer3', [1, 14, 14, 256]],
  ],
  resnet50: [
    ['layer1', [1, 56, 56, 256]],
    ['layer2', [1, 28, 28, 512]],
    ['layer3', [1, 14, 14, 1024]],
  ],
  efficientnet_b0: [
    ['features.2', [1, 56, 56, 24]],
    ['features.3', [1, 28, 28, 40]],
    ['features.5', [1, 14, 14, 112]],
  ],
  efficientnet_b1: [
    ['features.2', [1, 60, 60, 24]],
    ['features.3', [1, 30, 30, 40]],
    ['features.5', [1, 15, 15, 112]],
  ],
  efficientnet_b4: [
    ['features.2', [1, 95, 95, 32]],
    ['features.3', [1, 48, 48, 56]],
    ['features.5', [1, 24, 24, 160]],
  ],
  meso4: [
    ['block1', [1, 128, 128, 8]],
    ['block2', [1, 64, 64, 8]],
    ['block3', [1, 32, 32, 16]],
  ],
  mesoinception4: [
    ['block1', [1, 128, 128, 11]],
    ['block2', [1, 64, 64, 12]],
    ['block3', [1, 32, 32, 16]],
  ],
  // 299 → 149 → 147 (unpadded entry convs) → 74 → 37 → 19.
  xception: [
    ['block1', [1, 74, 74, 128]],
    ['block2', [1, 37, 37, 256]],
    ['block3', [1, 19, 19, 728]],
  ],
};

describe('forward at the default input size (wasm backend)', () => {
  for (const name of Object.keys(EXPECTED) as BackboneName[]) {
    it(`${name}: logits and tap shapes, no tensors left behind`, async () => {
      expect(tf.getBackend()).toBe('wasm');
      const net = createBackbone(name);
      const x = tf.randomNormal([1, net.inputSize, net.inputSize, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      const { logits, features } = net.forward(x);
      expect(logits.shape).toEqual([1, 2]);
      expect(Object.entries(features).map(([k, v]) => [k, v.shape])).toEqual(EXPECTED[name]);
      const values = await logits.data();
      expect(Array.from(values).every(Number.isFinite)).toBe(true);
      // Classifier model and feature model share weights: same logits.
      const direct = net.model.predict(x) as tf.Tensor;
      expect(Array.from(await direct.data())).toEqual(Array.from(values));
      tf.dispose([logits, direct, ...Object.values(features)]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      net.dispose();
    });
  }

  it('training mode runs, changes BN behaviour, and leaves no tensors behind', async () => {
    const net = createBackbone('efficientnet_b0', { inputSize: 64, dropConnectRate: 0.5, dropout: 0.5 });
    const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const a = net.forward(x, { training: true });
    const b = net.forward(x);
    expect(a.logits.shape).toEqual([2, 2]);
    expect(Array.from(await a.logits.data())).not.toEqual(Array.from(await b.logits.data()));
    tf.dispose([a.logits, b.logits, ...Object.values(a.features), ...Object.values(b.features)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });

  it('rejects an input that is not NHWC with 3 channels', () => {
    const net = createBackbone('resnet18', { inputSize: 32 });
    const x = tf.zeros([1, 3, 32, 32]) as tf.Tensor4D;
    expect(() => net.forward(x)).toThrow(/Argument 'x' passed to 'forward' must be NHWC/);
    x.dispose();
    net.dispose();
  });
});
