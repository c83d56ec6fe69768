import { AdversarialWeightPerturbation } from '@qad/awp';
import { type BackboneName, createBackbone } from '@qad/backbones';
import { QAD_QUALITIES } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from './adam';
import { resolveMethod } from './methods';
import { presetFor } from './presets';
import { trainStep } from './train_step';

/** Options of {@link measureThroughput}. */
export interface ThroughputOptions {
  model: string;
  size: number;
  /** Images per quality block (B). */
  batch: number;
  /** Quality blocks (M). */
  qualities: number;
  steps: number;
  method: string;
}

/** What {@link measureThroughput} measured on the active backend. */
export interface ThroughputResult {
  trainImagesPerSecond: number;
  inferenceImagesPerSecond: number;
  peakRssMiB: number;
}

/**
 * Training (one `trainStep` of the method per batch of M·B random images) and inference images/s of a
 * registered backbone on the active tfjs backend, after one untimed warm-up step each.
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const { size, batch, qualities, steps } = options;
  const method = resolveMethod(options.method);
  const net = createBackbone(options.model as BackboneName, { inputSize: size, seed: 1 });
  const preset = presetFor(options.model);
  const optimizer = new Adam({ weightDecay: preset.weightDecay });
  const awp =
    method.awp === 'none' ? null : new AdversarialWeightPerturbation(net.model, { gamma: preset.gamma });
  const n = qualities * batch;
  const images = tf.randomNormal([n, size, size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const names = [...QAD_QUALITIES, 'q5', 'q6'].slice(0, qualities);
  const labels = tf.tensor1d(
    names.flatMap(() => Array.from({ length: batch }, (_, i) => i % 2)),
    'int32',
  );
  const paired = { images, labels, qualities: names, batchSize: batch, sampleIndices: [], dispose() {} };
  try {
    const settings = {
      step: 0,
      alpha: preset.alpha,
      awpActive: true,
      learningRate: preset.learningRate,
      beta1: 0.9,
    };
    const target = { backbone: net, optimizer, awp, method };
    trainStep(target, paired, settings);
    let t0 = performance.now();
    for (let s = 1; s <= steps; s++) trainStep(target, paired, { ...settings, step: s });
    const train = (steps * n * 1000) / (performance.now() - t0);
    const infer = () => tf.tidy(() => net.forward(images).logits.dataSync());
    infer();
    t0 = performance.now();
    for (let s = 0; s < steps; s++) infer();
    const inference = (steps * n * 1000) / (performance.now() - t0);
    return {
      trainImagesPerSecond: train,
      inferenceImagesPerSecond: inference,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    tf.dispose([images, labels]);
    optimizer.dispose();
    net.dispose();
  }
}
