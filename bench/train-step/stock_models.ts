/**
 * ResNets and a keras.applications-style EfficientNet-B0 written with stock tfjs-layers only (`Conv2D`, `ZeroPadding2D`, `BatchNormalization`, `ReLU`,
 * `MaxPooling2D`, `Add`, `GlobalAveragePooling2D`, `Dense`), the way a user or a Keras converter writes them:
 * none of `@qad/backbones`' fused or padding-folding layers. Same topology and sizes as torchvision's (explicit
 * zero padding before each strided or 3×3 conv, stride on the 3×3 in bottlenecks, BN ε 1e-5), so that
 * `train-step --stock` measures what a library consumer who brings their own model gets.
 */
import * as tf from '@tensorflow/tfjs';

type Layer = tf.SymbolicTensor;

function convBn(x: Layer, filters: number, kernel: number, stride: number, relu: boolean): Layer {
  let y = x;
  const pad = (kernel - 1) / 2;
  if (pad > 0) y = tf.layers.zeroPadding2d({ padding: pad }).apply(y) as Layer;
  y = tf.layers
    .conv2d({ filters, kernelSize: kernel, strides: stride, padding: 'valid', useBias: false })
    .apply(y) as Layer;
  y = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(y) as Layer;
  return relu ? (tf.layers.reLU().apply(y) as Layer) : y;
}

function basicBlock(x: Layer, filters: number, stride: number, project: boolean): Layer {
  let y = convBn(x, filters, 3, stride, true);
  y = convBn(y, filters, 3, 1, false);
  const shortcut = project ? convBn(x, filters, 1, stride, false) : x;
  return tf.layers.reLU().apply(tf.layers.add().apply([y, shortcut]) as Layer) as Layer;
}

function bottleneck(x: Layer, filters: number, stride: number, project: boolean): Layer {
  let y = convBn(x, filters, 1, 1, true);
  y = convBn(y, filters, 3, stride, true);
  y = convBn(y, filters * 4, 1, 1, false);
  const shortcut = project ? convBn(x, filters * 4, 1, stride, false) : x;
  return tf.layers.reLU().apply(tf.layers.add().apply([y, shortcut]) as Layer) as Layer;
}

const STAGES: Record<string, { block: typeof basicBlock; blocks: number[]; expansion: number }> = {
  resnet18: { block: basicBlock, blocks: [2, 2, 2, 2], expansion: 1 },
  resnet50: { block: bottleneck, blocks: [3, 4, 6, 3], expansion: 4 },
};

/** The stock models `--stock` can build. */
export const STOCK_MODELS = [...Object.keys(STAGES), 'efficientnet_b0'];

/** Keras's `correct_pad` before a stride-2 'valid' conv of kernel k on an even input: (k//2 − 1, k//2). */
function kerasPad(x: Layer, k: number): Layer {
  const side = (d: number): [number, number] => (d % 2 === 0 ? [(k >> 1) - 1, k >> 1] : [k >> 1, k >> 1]);
  const [h, w] = [x.shape[1] as number, x.shape[2] as number];
  return tf.layers.zeroPadding2d({ padding: [side(h), side(w)] }).apply(x) as Layer;
}

function bnAct(x: Layer, activation: 'swish' | null): Layer {
  const y = tf.layers.batchNormalization({ epsilon: 1e-3, momentum: 0.99 }).apply(x) as Layer;
  return activation ? (tf.layers.activation({ activation }).apply(y) as Layer) : y;
}

/** One MBConv block as keras.applications writes it (stochastic depth left out: inference-equivalent). */
function mbConv(x: Layer, expand: number, kernel: number, stride: number, out: number): Layer {
  const cin = x.shape[3] as number;
  let h = x;
  if (expand !== 1) {
    h = tf.layers
      .conv2d({ filters: cin * expand, kernelSize: 1, padding: 'same', useBias: false })
      .apply(h) as Layer;
    h = bnAct(h, 'swish');
  }
  h =
    stride === 2
      ? (tf.layers
          .depthwiseConv2d({ kernelSize: kernel, strides: 2, padding: 'valid', useBias: false })
          .apply(kerasPad(h, kernel)) as Layer)
      : (tf.layers
          .depthwiseConv2d({ kernelSize: kernel, padding: 'same', useBias: false })
          .apply(h) as Layer);
  h = bnAct(h, 'swish');
  const channels = h.shape[3] as number;
  let se = tf.layers.globalAveragePooling2d({}).apply(h) as Layer;
  se = tf.layers.reshape({ targetShape: [1, 1, channels] }).apply(se) as Layer;
  const squeezed = Math.max(1, Math.floor(cin * 0.25));
  se = tf.layers.conv2d({ filters: squeezed, kernelSize: 1, activation: 'swish' }).apply(se) as Layer;
  se = tf.layers.conv2d({ filters: channels, kernelSize: 1, activation: 'sigmoid' }).apply(se) as Layer;
  h = tf.layers.multiply().apply([h, se]) as Layer;
  h = tf.layers.conv2d({ filters: out, kernelSize: 1, padding: 'same', useBias: false }).apply(h) as Layer;
  h = bnAct(h, null);
  return stride === 1 && cin === out ? (tf.layers.add().apply([h, x]) as Layer) : h;
}

/**
 * EfficientNet-B0 as keras.applications writes it with stock layers: `correct_pad` + 'valid' for stride-2 convs,
 * 'same' elsewhere, BN ε 1e-3, swish activations, squeeze-excitation from `GlobalAveragePooling2D` + 1×1 convs +
 * `Multiply`; 4.0 M parameters without the head, like torchvision's.
 */
function stockEfficientNetB0(size: number, classes: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  let x = tf.layers
    .conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'valid', useBias: false })
    .apply(kerasPad(input, 3)) as Layer;
  x = bnAct(x, 'swish');
  // (expand ratio, kernel, stride of the first block, output channels, blocks) per stage.
  const stages: Array<[number, number, number, number, number]> = [
    [1, 3, 1, 16, 1],
    [6, 3, 2, 24, 2],
    [6, 5, 2, 40, 2],
    [6, 3, 2, 80, 3],
    [6, 5, 1, 112, 3],
    [6, 5, 2, 192, 4],
    [6, 3, 1, 320, 1],
  ];
  for (const [expand, kernel, stride, out, blocks] of stages) {
    for (let i = 0; i < blocks; i++) x = mbConv(x, expand, kernel, i === 0 ? stride : 1, out);
  }
  x = tf.layers.conv2d({ filters: 1280, kernelSize: 1, padding: 'same', useBias: false }).apply(x) as Layer;
  x = bnAct(x, 'swish');
  x = tf.layers.globalAveragePooling2d({}).apply(x) as Layer;
  const output = tf.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as Layer;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy' });
  return model;
}

/**
 * A stock tfjs-layers model (`resnet18`, `resnet50`, `efficientnet_b0`) with a softmax head of `classes`,
 * compiled with Adam and cross-entropy.
 */
export function stockResNet(name: string, size: number, classes = 2): tf.LayersModel {
  if (name === 'efficientnet_b0') return stockEfficientNetB0(size, classes);
  const spec = STAGES[name];
  if (!spec) throw new Error(`--stock has no model '${name}': expected one of ${STOCK_MODELS.join(', ')}`);
  const input = tf.input({ shape: [size, size, 3] });
  let x = convBn(input, 64, 7, 2, true);
  x = tf.layers.zeroPadding2d({ padding: 1 }).apply(x) as Layer;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as Layer;
  let channels = 64;
  spec.blocks.forEach((count, stage) => {
    const filters = 64 * 2 ** stage;
    for (let i = 0; i < count; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const project = i === 0 && (stride !== 1 || channels !== filters * spec.expansion);
      x = spec.block(x, filters, stride, project);
      channels = filters * spec.expansion;
    }
  });
  x = tf.layers.globalAveragePooling2d({}).apply(x) as Layer;
  const output = tf.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as Layer;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy' });
  return model;
}
