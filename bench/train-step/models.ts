/**
 * Bench-local tfjs-layers builders of ResNet-18/50 (torchvision v1.5 layout) and EfficientNet-B0, with the
 * same layer shapes as the PyTorch reference in torch_reference.py. They exist only to time training; the
 * registry with taps, weight import and exact padding parity is @qad/backbones (issue 4).
 */
import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;
let seed = 0;
const init = () => tf.initializers.heNormal({ seed: seed++ });
const conv = (x: T, filters: number, kernelSize: number, strides = 1) =>
  tf.layers
    .conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: init() })
    .apply(x) as T;
const bn = (x: T) => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(x) as T;
const relu = (x: T) => tf.layers.reLU().apply(x) as T;
const swish = (x: T) => tf.layers.activation({ activation: 'swish' }).apply(x) as T;
const add = (a: T, b: T) => tf.layers.add().apply([a, b]) as T;

function head(x: T, input: T, name: string): tf.LayersModel {
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as T;
  const logits = tf.layers.dense({ units: 2, kernelInitializer: init() }).apply(pooled) as T;
  return tf.model({ inputs: input, outputs: logits, name });
}

function resnet(blocks: number[], bottleneck: boolean, size: number, name: string): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  let x = relu(bn(conv(input, 64, 7, 2)));
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as T;
  let channels = 64;
  blocks.forEach((count, stage) => {
    const width = 64 * 2 ** stage;
    const out = bottleneck ? width * 4 : width;
    for (let b = 0; b < count; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const shortcut = stride !== 1 || channels !== out ? bn(conv(x, out, 1, stride)) : x;
      const main = bottleneck
        ? bn(conv(relu(bn(conv(relu(bn(conv(x, width, 1))), width, 3, stride))), out, 1))
        : bn(conv(relu(bn(conv(x, width, 3, stride))), width, 3));
      x = relu(add(main, shortcut));
      channels = out;
    }
  });
  return head(x, input, name);
}

function efficientnetB0(size: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  let x = swish(bn(conv(input, 32, 3, 2)));
  let channels = 32;
  const stages: Array<[number, number, number, number, number]> = [
    [1, 3, 1, 16, 1],
    [6, 3, 2, 24, 2],
    [6, 5, 2, 40, 2],
    [6, 3, 2, 80, 3],
    [6, 5, 1, 112, 3],
    [6, 5, 2, 192, 4],
    [6, 3, 1, 320, 1],
  ];
  for (const [expand, kernel, firstStride, out, repeats] of stages) {
    for (let r = 0; r < repeats; r++) {
      const stride = r === 0 ? firstStride : 1;
      const expanded = channels * expand;
      let h = expand === 1 ? x : swish(bn(conv(x, expanded, 1)));
      h = swish(
        bn(
          tf.layers
            .depthwiseConv2d({
              kernelSize: kernel,
              strides: stride,
              padding: 'same',
              useBias: false,
              depthwiseInitializer: init(),
            })
            .apply(h) as T,
        ),
      );
      let se = tf.layers.globalAveragePooling2d({}).apply(h) as T;
      se = tf.layers.reshape({ targetShape: [1, 1, expanded] }).apply(se) as T;
      se = tf.layers
        .conv2d({
          filters: Math.max(1, Math.floor(channels / 4)),
          kernelSize: 1,
          activation: 'swish',
          kernelInitializer: init(),
        })
        .apply(se) as T;
      se = tf.layers
        .conv2d({ filters: expanded, kernelSize: 1, activation: 'sigmoid', kernelInitializer: init() })
        .apply(se) as T;
      h = tf.layers.multiply().apply([h, se]) as T;
      h = bn(conv(h, out, 1));
      x = stride === 1 && channels === out ? add(h, x) : h;
      channels = out;
    }
  }
  x = swish(bn(conv(x, 1280, 1)));
  return head(x, input, 'efficientnet_b0');
}

export const MODELS: Record<string, (size: number) => tf.LayersModel> = {
  resnet18: (size) => resnet([2, 2, 2, 2], false, size, 'resnet18'),
  efficientnet_b0: efficientnetB0,
  resnet50: (size) => resnet([3, 4, 6, 3], true, size, 'resnet50'),
};
