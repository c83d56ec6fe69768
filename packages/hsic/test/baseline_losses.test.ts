import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { centerLoss, pairwiseLoss, QAD_TAP_WEIGHTS, softLabelLoss, tapWeightsFor } from '../src';

const rows = (t: tf.Tensor) => t.arraySync() as number[][];

describe('pairwiseLoss (paper Eq. 3)', () => {
  it('is the weighted mean Euclidean distance summed over quality pairs (hand-computed)', () => {
    const q0 = {
      t: tf.tensor2d([
        [0, 0],
        [1, 1],
      ]),
    };
    const q1 = {
      t: tf.tensor2d([
        [3, 4],
        [1, 1],
      ]),
    };
    const q2 = {
      t: tf.tensor2d([
        [0, 0],
        [1, 2],
      ]),
    };
    // pairs: (0,1): [5, 0] → 2.5; (0,2): [0, 1] → 0.5; (1,2): [5, 1] → 3. Sum 6, × weight 0.5.
    const value = pairwiseLoss([q0, q1, q2], { t: 0.5 });
    expect(value.dataSync()[0]).toBeCloseTo(3, 5);
    tf.dispose([q0.t, q1.t, q2.t, value]);
  });
});

describe('centerLoss', () => {
  it('is half the mean squared spread of the pooled views around their per-sample centre (hand-computed)', () => {
    // One sample, C = 1 after pooling 2×2 maps: view means 1 and 3 → centre 2 → spread 1 + 1 = 2 → ½·2 = 1.
    const a = { t: tf.fill([1, 2, 2, 1], 1) };
    const b = { t: tf.fill([1, 2, 2, 1], 3) };
    const value = centerLoss([a, b], { t: 2 });
    expect(value.dataSync()[0]).toBeCloseTo(2, 6);
    tf.dispose([a.t, b.t, value]);
  });
});

describe('softLabelLoss', () => {
  it('is zero when every quality view predicts the same and positive otherwise', () => {
    const same = tf.tensor2d([
      [1, -1],
      [0.5, 2],
      [1, -1],
      [0.5, 2],
    ]);
    const differ = tf.tensor2d([
      [1, -1],
      [0.5, 2],
      [-1, 1],
      [0.5, 2],
    ]);
    expect(softLabelLoss(same, 2).dataSync()[0]).toBeCloseTo(0, 6);
    const v = softLabelLoss(differ, 2, 1).dataSync()[0]!;
    // Sample 0: views [1,-1] and [-1,1] average to [0,0] → target ½,½; KL(u‖softmax(±2)) each = −log 2 − ½log σ(2) − ½log σ(−2).
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const kl = -Math.log(2) - 0.5 * Math.log(sig(2)) - 0.5 * Math.log(sig(-2));
    expect(v).toBeCloseTo((2 * kl) / 4, 5);
    tf.dispose([same, differ]);
  });

  it('passes no gradient to the soft target: the gradient is the detached closed form (p − t)/(M·B)', () => {
    const logits = tf.variable(
      tf.tensor2d([
        [0.3, -0.2],
        [1, 0.4],
      ]),
    );
    const { grads } = tf.variableGrads(() => softLabelLoss(logits as unknown as tf.Tensor2D, 2, 1), [logits]);
    // With the target t fixed, d/dz KL(t ‖ softmax(z)) = (softmax(z) − t)/(M·B) per row (mean over 2 rows).
    const z = rows(logits);
    const avg = [(z[0]![0]! + z[1]![0]!) / 2, (z[0]![1]! + z[1]![1]!) / 2];
    const soft = (r: number[]) => {
      const e = r.map(Math.exp);
      const s = e[0]! + e[1]!;
      return e.map((x) => x / s);
    };
    const t = soft(avg);
    const g = rows(grads[logits.name]!);
    z.forEach((r, i) => {
      const p = soft(r);
      expect(g[i]![0]).toBeCloseTo((p[0]! - t[0]!) / 2, 5);
    });
    tf.dispose([logits, grads[logits.name]!]);
  });
});

describe('baseline losses: errors and memory', () => {
  it('name the missing tap, the bad layout and leave no tensors behind', () => {
    const a = { layer1: tf.ones([2, 3]) };
    const b = { layer1: tf.zeros([2, 3]) };
    const before = tf.memory().numTensors;
    const loss = pairwiseLoss([a, b], { layer1: 1 });
    // ‖1 − 0‖ over 3 features = √3 per sample.
    expect(loss.dataSync()[0]).toBeCloseTo(Math.sqrt(3), 5);
    loss.dispose();
    centerLoss([a, b], { layer1: 1 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => centerLoss([a, b], { layer2: 1 })).toThrow(
      "'centerLoss': quality view 0 has no tap 'layer2'.",
    );
    expect(() => pairwiseLoss([a], { layer1: 1 })).toThrow(
      "'views' passed to 'pairwiseLoss' must hold at least 2",
    );
    const logits = tf.zeros([5, 2]) as tf.Tensor2D;
    expect(() => softLabelLoss(logits, 2)).toThrow("'logits' passed to 'softLabelLoss' has 5 rows");
    expect(() => softLabelLoss(logits, 5, 0)).toThrow("'temperature' passed to 'softLabelLoss' must be > 0");
    tf.dispose([a.layer1, b.layer1, logits]);
  });
});

describe('tapWeightsFor', () => {
  it("gives the authors' weights by backbone family, as a copy", () => {
    expect(tapWeightsFor('resnet50')).toEqual({ layer1: 0.1, layer2: 0.25, layer3: 0.5 });
    expect(tapWeightsFor('efficientnet_b0')).toEqual({
      'features.2': 0.1,
      'features.3': 0.25,
      'features.5': 0.5,
    });
    const copy = tapWeightsFor('resnet18');
    copy.layer1 = 7;
    expect(QAD_TAP_WEIGHTS.resnet.layer1).toBe(0.1);
    expect(() => tapWeightsFor('vit_b16')).toThrow(
      "'tapWeightsFor' knows the families resnet, efficientnet, but got backbone 'vit_b16'",
    );
  });
});
