/**
 * ResNets written with stock tfjs-layers only (`Conv2D`, `ZeroPadding2D`, `BatchNormalization`, `ReLU`,
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
export const STOCK_MODELS = Object.keys(STAGES);

/** A stock tfjs-layers ResNet with a softmax head of `classes`, compiled with Adam and cross-entropy. */
export function stockResNet(name: string, size: number, classes = 2): tf.LayersModel {
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
