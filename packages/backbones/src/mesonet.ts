import * as tfl from '@tensorflow/tfjs-layers';
import { LeanBatchNormalization } from './batch_norm';
import { DilatedConv2D } from './dilated_conv';
import type { BuiltGraph, ResolvedOptions } from './options';

type T = tfl.SymbolicTensor;

/** Tap points of both MesoNets, in forward order: the four pooled block outputs. */
export const MESONET_TAP_POINTS = ['block1', 'block2', 'block3', 'block4'];

/** Branch widths `[a, b, c, d]` of one inception block (1×1; 1×1→3×3; →3×3 dilated 2; →3×3 dilated 3). */
type InceptionWidths = [number, number, number, number];

/**
 * Builds MesoNet (Afchar et al., "MesoNet: a Compact Facial Video Forgery Detection Network", WIFS 2018):
 * Meso-4, or MesoInception-4 when `inception` is set. The authors' network is Keras, so this follows Keras's
 * conventions: `'same'` padding, glorot-uniform kernels, zero biases, batch norm with eps 1e-3 and momentum
 * 0.99. The head is theirs — flatten, dropout, a 16-unit dense layer with LeakyReLU(0.1), dropout — except
 * that the last layer has `numClasses` logits (their single sigmoid unit is `numClasses: 1`).
 */
export function buildMesoNet(inception: boolean, options: ResolvedOptions, modelName: string): BuiltGraph {
  let seed = 1000 * options.seed + 1;
  const init = () => tfl.initializers.glorotUniform({ seed: seed++ });
  const input = tfl.input({ shape: [options.inputSize, options.inputSize, 3], name: `${modelName}.input` });
  const conv = (x: T, name: string, filters: number, kernelSize: number): T =>
    tfl.layers
      .conv2d({ filters, kernelSize, padding: 'same', activation: 'relu', kernelInitializer: init(), name })
      .apply(x) as T;
  const bn = (x: T, name: string): T =>
    new LeanBatchNormalization({ name, epsilon: 1e-3, momentum: 0.99 }).apply(x) as T;
  const pool = (x: T, name: string, size: number): T =>
    tfl.layers.maxPooling2d({ poolSize: size, strides: size, padding: 'same', name }).apply(x) as T;
  const inceptionBlock = (x: T, name: string, [a, b, c, d]: InceptionWidths): T => {
    const dilated = (h: T, branch: string, filters: number, dilation: number): T =>
      new DilatedConv2D({
        filters,
        kernelSize: 3,
        dilation,
        relu: true,
        kernelInitializer: init(),
        name: `${name}.${branch}`,
      }).apply(h) as T;
    const branches = [
      conv(x, `${name}.branch1.conv`, a, 1),
      conv(conv(x, `${name}.branch2.reduce`, b, 1), `${name}.branch2.conv`, b, 3),
      dilated(conv(x, `${name}.branch3.reduce`, c, 1), 'branch3.conv', c, 2),
      dilated(conv(x, `${name}.branch4.reduce`, d, 1), 'branch4.conv', d, 3),
    ];
    return tfl.layers.concatenate({ axis: -1, name: `${name}.concat` }).apply(branches) as T;
  };

  const taps: Record<string, T> = {};
  let x: T = input;
  const blocks: Array<[string, (h: T) => T, number]> = inception
    ? [
        ['block1', (h) => inceptionBlock(h, 'inception1', [1, 4, 4, 2]), 2],
        ['block2', (h) => inceptionBlock(h, 'inception2', [2, 4, 4, 2]), 2],
        ['block3', (h) => conv(h, 'conv3', 16, 5), 2],
        ['block4', (h) => conv(h, 'conv4', 16, 5), 4],
      ]
    : [
        ['block1', (h) => conv(h, 'conv1', 8, 3), 2],
        ['block2', (h) => conv(h, 'conv2', 8, 5), 2],
        ['block3', (h) => conv(h, 'conv3', 16, 5), 2],
        ['block4', (h) => conv(h, 'conv4', 16, 5), 4],
      ];
  blocks.forEach(([tap, body, poolSize], i) => {
    x = pool(bn(body(x), `bn${i + 1}`), `pool${i + 1}`, poolSize);
    taps[tap] = x;
  });
  let h = tfl.layers.flatten({ name: 'flatten' }).apply(x) as T;
  if (options.dropout > 0) h = tfl.layers.dropout({ rate: options.dropout, name: 'dropout1' }).apply(h) as T;
  h = tfl.layers.dense({ units: 16, kernelInitializer: init(), name: 'fc1' }).apply(h) as T;
  h = tfl.layers.leakyReLU({ alpha: 0.1, name: 'fc1.leaky_relu' }).apply(h) as T;
  if (options.dropout > 0) h = tfl.layers.dropout({ rate: options.dropout, name: 'dropout2' }).apply(h) as T;
  const logits = tfl.layers
    .dense({ units: options.numClasses, kernelInitializer: init(), name: 'classifier' })
    .apply(h) as T;
  return { input, logits, taps };
}
