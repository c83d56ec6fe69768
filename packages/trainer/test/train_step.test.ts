import { AdversarialWeightPerturbation } from '@qad/awp';
import { meanCrossEntropy, splitQualityBlocks } from '@qad/core';
import { collaborativeLoss } from '@qad/hsic';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Adam } from '../src/adam';
import { NonFiniteLossError } from '../src/errors';
import { resolveMethod } from '../src/methods';
import { trainStep } from '../src/train_step';
import { trainableVariables } from '../src/trainable';
import { copyWeights, randomBatch, tinyBackbone } from './tiny_backbone';

const GAMMA = 0.05;
const ALPHA = 0.5;
const LR = 0.01;
const BETA1 = 0.9;
const DECAY = 1e-3;

/** Float64 reference of the first Adam step with L2 decay: m̂ = g', v̂ = g'² ⇒ w − lr·g'/(|g'| + ε). */
function adamFirstStep(w: Float32Array, g: Float32Array): Float64Array {
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]! + DECAY * w[i]!;
    out[i] = w[i]! - (LR * gi) / (Math.abs(gi) + 1e-8);
  }
  return out;
}

describe('trainStep (paper Algorithm 1)', () => {
  it('equals a hand-assembled QAD step: CE + α·HSIC gradients at the AWP-perturbed weights, Adam, perturbation removed', () => {
    const net = tinyBackbone(1);
    const reference = tinyBackbone(2);
    copyWeights(net, reference);
    const batch = randomBatch(7, ['c23', 'raw', 'c40'], 4);
    const hsic = { preset: 'paper' as const, sigma: 2 };

    const optimizer = new Adam({ weightDecay: DECAY });
    const awp = new AdversarialWeightPerturbation(net.model, { gamma: GAMMA });
    trainStep({ backbone: net, optimizer, awp, method: resolveMethod('qad') }, batch, {
      step: 0,
      alpha: ALPHA,
      awpActive: true,
      learningRate: LR,
      beta1: BETA1,
      hsic,
      tapWeights: net.tapWeights,
    });

    // By hand on the twin: v = γ‖w‖ g/‖g‖ from CE over all M·B images, on rank ≥ 2 weights only.
    const vars = trainableVariables(reference);
    const perturbed = vars.filter((v) => v.shape.length >= 2);
    const stats = reference.model.getWeights().map((w) => w.clone());
    const { grads: ascent } = tf.variableGrads(
      () => meanCrossEntropy(reference.forward(batch.images, { training: true }).logits, batch.labels),
      perturbed,
    );
    reference.model.setWeights(stats); // the ascent pass must not move batch-norm statistics
    const deltas = perturbed.map((v) => {
      const g = ascent[v.name]!;
      return tf.tidy(() => tf.mul(g, tf.div(tf.mul(tf.norm(v), GAMMA), tf.norm(g))));
    });
    perturbed.forEach((v, i) => {
      v.assign(tf.add(v, deltas[i]!));
    });
    const { grads } = tf.variableGrads(() => {
      const { logits, features } = reference.forward(batch.images, { training: true });
      const col = collaborativeLoss(splitQualityBlocks(features, 3), {
        ...hsic,
        tapWeights: reference.tapWeights,
      });
      return tf.add(meanCrossEntropy(logits, batch.labels), tf.mul(col, ALPHA)) as tf.Scalar;
    }, vars);
    const expected = vars.map((v) => {
      const updated = adamFirstStep(v.dataSync() as Float32Array, grads[v.name]!.dataSync() as Float32Array);
      const i = perturbed.indexOf(v);
      if (i >= 0) {
        const d = deltas[i]!.dataSync();
        for (let k = 0; k < updated.length; k++) updated[k]! -= d[k]!;
      }
      return updated;
    });

    const actual = trainableVariables(net);
    let worst = 0;
    actual.forEach((v, i) => {
      const a = v.dataSync();
      const e = expected[i]!;
      for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - e[k]!));
    });
    expect(worst).toBeLessThan(2e-6);
    // Batch-norm statistics moved exactly once (the forward at the perturbed weights), in both nets.
    const netStats = net.model.getWeights().slice(-2);
    const refStats = reference.model.getWeights().slice(-2);
    netStats.forEach((s, i) => {
      expect(Math.max(...tf.abs(tf.sub(s, refStats[i]!)).dataSync())).toBeLessThan(1e-6);
    });

    tf.dispose([stats, deltas, Object.values(ascent), Object.values(grads)]);
    batch.dispose();
    optimizer.dispose();
  });

  it('differs from the plain cross-entropy step (the HSIC and AWP terms have an effect)', () => {
    const a = tinyBackbone(4);
    const b = tinyBackbone(5);
    copyWeights(a, b);
    const batch = randomBatch(9, ['raw', 'c23', 'c40'], 4);
    const settings = { step: 0, alpha: ALPHA, awpActive: true, learningRate: LR, beta1: BETA1 };
    trainStep(
      {
        backbone: a,
        optimizer: new Adam(),
        awp: new AdversarialWeightPerturbation(a.model, { gamma: GAMMA }),
        method: resolveMethod('qad'),
      },
      batch,
      settings,
    );
    trainStep(
      { backbone: b, optimizer: new Adam(), awp: null, method: resolveMethod('ce') },
      batch,
      settings,
    );
    const diff = trainableVariables(a).reduce(
      (m, v, i) => Math.max(m, ...tf.abs(tf.sub(v, trainableVariables(b)[i]!)).dataSync()),
      0,
    );
    expect(diff).toBeGreaterThan(1e-4);
    batch.dispose();
  });

  it('leaves no tensors behind once the optimizer moments exist', () => {
    const net = tinyBackbone(6);
    const optimizer = new Adam();
    const awp = new AdversarialWeightPerturbation(net.model, { gamma: GAMMA });
    const batch = randomBatch(3, ['raw', 'c23'], 4);
    const target = { backbone: net, optimizer, awp, method: resolveMethod('qad') };
    const settings = { step: 0, alpha: ALPHA, awpActive: true, learningRate: LR, beta1: BETA1 };
    trainStep(target, batch, settings);
    const before = tf.memory().numTensors;
    for (let s = 1; s < 4; s++) trainStep(target, batch, { ...settings, step: s });
    for (const method of ['pairwise+awp-kl', 'center', 'soft-label']) {
      trainStep({ ...target, method: resolveMethod(method) }, batch, settings);
    }
    expect(tf.memory().numTensors).toBe(before);
    batch.dispose();
  });

  it('throws NonFiniteLossError naming step and samples, and applies no update', () => {
    const net = tinyBackbone(8);
    const batch = randomBatch(4, ['raw', 'c23'], 3);
    const poisoned = { ...batch, images: tf.mul(batch.images, Number.NaN) as tf.Tensor4D };
    const before = net.model.getWeights().map((w) => w.dataSync().slice());
    const count = tf.memory().numTensors;
    expect(() =>
      trainStep(
        { backbone: net, optimizer: new Adam(), awp: null, method: resolveMethod('hsic') },
        poisoned,
        {
          step: 17,
          alpha: ALPHA,
          awpActive: false,
          learningRate: LR,
          beta1: BETA1,
        },
      ),
    ).toThrow(/loss became NaN at step 17 \(term: cross-entropy\); batch samples \[0, 1, 2\]/);
    expect(tf.memory().numTensors).toBe(count);
    net.model.getWeights().forEach((w, i) => {
      expect(Array.from(w.dataSync())).toEqual(Array.from(before[i]!));
    });
    let thrown: unknown;
    try {
      trainStep({ backbone: net, optimizer: new Adam(), awp: null, method: resolveMethod('ce') }, poisoned, {
        step: 2,
        alpha: 0,
        awpActive: false,
        learningRate: LR,
        beta1: BETA1,
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NonFiniteLossError);
    expect((thrown as NonFiniteLossError).sampleIndices).toEqual([0, 1, 2]);
    expect(tf.memory().numTensors).toBe(count);
    poisoned.images.dispose();
    batch.dispose();
  });

  it('rejects a collaborative method on single-quality batches and AWP-KL without a raw block', () => {
    const net = tinyBackbone(9);
    const single = randomBatch(1, ['c40'], 4);
    const settings = { step: 0, alpha: ALPHA, awpActive: true, learningRate: LR, beta1: BETA1 };
    expect(() =>
      trainStep(
        { backbone: net, optimizer: new Adam(), awp: null, method: resolveMethod('hsic') },
        single,
        settings,
      ),
    ).toThrow("Method 'hsic' needs at least 2 quality blocks per batch, got 1 (c40).");
    const noRaw = randomBatch(1, ['c23', 'c40'], 4);
    const awp = new AdversarialWeightPerturbation(net.model, { gamma: GAMMA });
    expect(() =>
      trainStep(
        { backbone: net, optimizer: new Adam(), awp, method: resolveMethod('awp-kl') },
        noRaw,
        settings,
      ),
    ).toThrow("AWP-KL needs a 'raw' quality block in every batch; this batch has c23, c40.");
    single.dispose();
    noRaw.dispose();
  });
});
