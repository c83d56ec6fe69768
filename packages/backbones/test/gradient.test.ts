import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import { type BackboneName, createBackbone } from '../src';

// wasm with @qad/backend's training kernels: several times faster than cpu for the backward pass.
beforeAll(async () => {
  await selectBackend('wasm');
});

describe('training step (wasm backend)', () => {
  for (const name of ['resnet18', 'efficientnet_b0'] as BackboneName[]) {
    it(`${name}: trains the stem kernel without computing the image gradient, leaves no tensors`, async () => {
      const net = createBackbone(name, { inputSize: 32 });
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const labels = tf.oneHot([0, 1], 2);
      const before = tf.memory().numTensors;
      let stemGrad = 0;
      let gradCount = 0;
      const info = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() =>
          tf.tidy(() => {
            const { logits, features } = net.forward(x, { training: true });
            // The HSIC taps are differentiable too: include one in the loss.
            const tap = Object.values(features)[0]!;
            return tf.add(
              tf.losses.softmaxCrossEntropy(labels, logits),
              tf.mean(tf.square(tap)),
            ) as tf.Scalar;
          }),
        );
        gradCount = Object.keys(grads).length;
        const stem = Object.entries(grads).find(([k]) => /^(conv1|features\.0\.0)\/kernel/.test(k))!;
        stemGrad = tf.tidy(() => tf.sum(tf.abs(stem[1])).dataSync()[0]!);
        tf.dispose([value, ...Object.values(grads)]);
      });
      expect(gradCount).toBe(net.model.trainableWeights.length);
      expect(stemGrad).toBeGreaterThan(0);
      const towardsImage = info.kernels.filter(
        (k) => k.name === 'Conv2DBackpropInput' && k.outputShapes.some((s) => s[s.length - 1] === 3),
      );
      expect(towardsImage).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, labels]);
      net.dispose();
    });
  }
});
