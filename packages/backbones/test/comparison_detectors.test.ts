import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/src';
import { type BackboneName, createBackbone, DilatedConv2D, loadDetector, saveDetector } from '../src';
import { maxRelError } from './helpers';

// The paper's comparison detectors in the registry. Parameter counts are the published ones, recounted by
// hand from the architectures (see each case); a gradient check against central differences of the loss
// along a random direction; a save/load round trip; one optimiser step lowers the loss.

beforeAll(async () => {
  await selectBackend('wasm');
});

const DETECTORS: BackboneName[] = ['meso4', 'mesoinception4', 'xception'];

describe('published parameter counts', () => {
  it('meso4: 27,977 trainable with the single sigmoid unit (Afchar et al. 2018), 96 batch-norm statistics', () => {
    // conv 3×3·3·8+8 = 224, 5×5·8·8+8 = 1,608, 5×5·8·16+16 = 3,216, 5×5·16·16+16 = 6,416; BN γβ 2·48 = 96;
    // dense 1,024·16+16 = 16,400 (8×8×16 after the pools at 256 px); sigmoid unit 17.
    const net = createBackbone('meso4', { numClasses: 1 });
    const s = net.summary();
    expect(s.params).toBe(27_977);
    expect(s.backboneParams).toBe(net.info.params);
    expect(s.nonTrainable).toBe(96);
    expect(net.model.outputs[0]!.shape).toEqual([null, 1]);
    net.dispose();
  });

  it('mesoinception4: 28,615 trainable (Afchar et al. 2018)', () => {
    // inception(1,4,4,2) on 3 ch: 4 + (16+148) + (16+148) + (8+38) = 378; inception(2,4,4,2) on 11 ch: 478;
    // BN γβ 2·(11+12+16+16) = 110; conv 5×5·12·16+16 = 4,816 and 6,416; dense 16,400; sigmoid unit 17.
    const net = createBackbone('mesoinception4', { numClasses: 1 });
    expect(net.summary().params).toBe(28_615);
    expect(net.summary().backboneParams).toBe(net.info.params);
    net.dispose();
  });

  it("xception: 22,855,952 with the 1000-class head (Chollet 2017), 20,806,952 without; Keras's 20,861,480 with BN statistics", () => {
    const net = createBackbone('xception', { numClasses: 1000 });
    const s = net.summary();
    expect(s.params).toBe(22_855_952);
    expect(s.backboneParams).toBe(20_806_952);
    expect(s.backboneParams).toBe(net.info.params);
    // keras.applications.Xception(include_top=False) counts the moving statistics too: 27,264 BN channels.
    expect(s.backboneParams + s.nonTrainable).toBe(20_861_480);
    expect(net.inputSize).toBe(299);
    // timm's published 8.4 GMACs at 299 px (the 1000-class head adds 2 M).
    expect(s.macs / 1e9).toBeCloseTo(8.4, 1);
    net.dispose();
  });
});

describe('DilatedConv2D', () => {
  it("equals tf.conv2d with dilation and 'same' padding, forward, for dilations 1–3", () => {
    for (const dilation of [1, 2, 3]) {
      const layer = new DilatedConv2D({ filters: 3, kernelSize: 3, dilation, name: `d${dilation}` });
      const x = tf.randomNormal([2, 9, 11, 4], 0, 1, 'float32', dilation) as tf.Tensor4D;
      const got = layer.apply(x) as tf.Tensor;
      const [kernel, bias] = layer.getWeights();
      tf.tidy(() => {
        const want = tf.add(tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same', 'NHWC', dilation), bias!);
        expect(got.shape).toEqual([2, 9, 11, 3]);
        expect(maxRelError(got.dataSync(), want.dataSync())).toBeLessThan(1e-5);
      });
      tf.dispose([x, got]);
      layer.dispose();
    }
  });

  it('its kernel gradient matches central differences', () => {
    // Without the ReLU the loss is linear in the kernel, so central differences are exact up to float32 rounding.
    const layer = new DilatedConv2D({ filters: 2, kernelSize: 3, dilation: 2, name: 'dg' });
    const x = tf.randomNormal([1, 7, 7, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    layer.apply(x);
    const [kernel] = layer.trainableWeights;
    const probe = tf.randomNormal([1, 7, 7, 2], 0, 1, 'float32', 6);
    const loss = () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, probe)) as tf.Scalar;
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(loss, [kernel!.read() as tf.Variable]);
    const analytic = Object.values(grads)[0]!.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    const w = kernel!.read().dataSync().slice();
    const h = 1e-2;
    const numeric = Array.from(w, (_, i) => {
      const at = (delta: number) => {
        const moved = w.slice();
        moved[i]! += delta;
        kernel!.write(tf.tensor(moved, kernel!.shape as number[]));
        return tf.tidy(() => loss().dataSync()[0]!);
      };
      return (at(h) - at(-h)) / (2 * h);
    });
    expect(maxRelError(analytic, numeric)).toBeLessThan(1e-3);
    tf.dispose([x, probe]);
    layer.dispose();
  });

  it('rejects an even kernel', () => {
    expect(() => new DilatedConv2D({ filters: 1, kernelSize: 2, dilation: 2 })).toThrow(
      /kernelSize must be odd/,
    );
  });
});

/** Loss of `net` on `x` along fixed probe logits; inference mode, so the loss is a smooth function of weights. */
function probeLoss(net: ReturnType<typeof createBackbone>, x: tf.Tensor4D, probe: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const { logits, features } = net.forward(x);
    const tap = Object.values(features)[0]!;
    return tf.add(tf.sum(tf.mul(logits, probe)), tf.mean(tf.square(tap))) as tf.Scalar;
  });
}

describe('each comparison detector at 32 px', () => {
  for (const name of DETECTORS) {
    it(`${name}: gradient along a random direction matches central differences`, () => {
      const net = createBackbone(name, { inputSize: 32, dropout: 0, seed: 2 });
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
      const probe = tf.randomNormal([2, 2], 0, 1, 'float32', 4);
      const weights = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => probeLoss(net, x, probe), weights);
      expect(Object.keys(grads)).toHaveLength(weights.length);
      // A random direction per weight tensor, scaled by the tensor's RMS (at least 0.01, for zero biases), so
      // a step of eps moves every layer by the same relative amount; the directional derivative is Σ g·d.
      const directions = weights.map((w, i) =>
        tf.tidy(() =>
          tf.mul(
            tf.randomNormal(w.shape, 0, 1, 'float32', 100 + i),
            tf.maximum(tf.sqrt(tf.mean(tf.square(w))), 1e-2),
          ),
        ),
      );
      const analytic = tf.tidy(
        () => tf.addN(weights.map((w, i) => tf.sum(tf.mul(grads[w.name]!, directions[i]!)))).dataSync()[0]!,
      );
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before + directions.length);
      const originals = weights.map((w) => w.clone());
      // ReLU and max-pool kinks bias larger steps; float32 rounding of the forward (~1e-6 of the loss) limits
      // smaller ones. At 1e-4 the measured disagreement is 0.3 % (meso4), 0.1 % (mesoinception4) and 4.5 %
      // (xception, the deepest); a gradient missing through any whole block or a sign error is far above 10 %.
      const eps = 1e-4;
      const lossAt = (t: number): number => {
        weights.forEach((w, i) => {
          w.assign(tf.tidy(() => tf.add(originals[i]!, tf.mul(directions[i]!, t))));
        });
        return probeLoss(net, x, probe).dataSync()[0]!;
      };
      const numeric = (lossAt(eps) - lossAt(-eps)) / (2 * eps);
      weights.forEach((w, i) => {
        w.assign(originals[i]!);
      });
      expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
      expect(Math.abs(numeric - analytic) / Math.abs(analytic)).toBeLessThan(0.1);
      tf.dispose([x, probe, ...directions, ...originals]);
      net.dispose();
    });

    it(`${name}: save/load round trip gives the same logits and taps; one SGD step lowers cross-entropy`, async () => {
      const net = createBackbone(name, { inputSize: 32, seed: 5 });
      const x = tf.randomNormal([4, 32, 32, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      let saved: tf.io.ModelArtifacts | null = null;
      await saveDetector(
        net,
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const loaded = await loadDetector(tf.io.fromMemory(saved as unknown as tf.io.ModelArtifacts));
      const want = tf.tidy(() => (net.model.predict(x) as tf.Tensor).dataSync());
      const got = tf.tidy(() => (loaded.predict(x) as tf.Tensor).dataSync());
      expect(Array.from(got)).toEqual(Array.from(want));
      loaded.dispose();

      const labels = tf.oneHot([0, 1, 0, 1], 2);
      // Training mode (batch statistics) without dropout, so the loss before and after is the same function.
      const trained = createBackbone(name, { inputSize: 32, seed: 5, dropout: 0 });
      const ce = () =>
        tf.tidy(
          () =>
            tf.losses.softmaxCrossEntropy(labels, trained.forward(x, { training: true }).logits) as tf.Scalar,
        );
      const optimizer = tf.train.sgd(0.05);
      const first = tf.tidy(() => ce().dataSync()[0]!);
      for (let i = 0; i < 3; i++) optimizer.minimize(ce);
      expect(tf.tidy(() => ce().dataSync()[0]!)).toBeLessThan(first);
      trained.dispose();
      optimizer.dispose();
      tf.dispose([x, labels]);
      net.dispose();
    });
  }
});
