import * as tfl from '@tensorflow/tfjs-layers';
import { LayerFactory, type LayerStyle, TORCH_STYLE } from './layer_factory';
import type { BuiltGraph, ResolvedOptions } from './options';
import { StochasticDepth } from './stochastic_depth';

type T = tfl.SymbolicTensor;

/** Width and depth multipliers of one EfficientNet variant (torchvision `_efficientnet_conf`). */
export interface EfficientNetSpec {
  /** Channel multiplier: 1.0 for B0 and B1. */
  widthMult: number;
  /** Block-count multiplier: 1.0 for B0, 1.1 for B1. */
  depthMult: number;
}

/** keras.applications EfficientNet: Keras BN defaults (eps 1e-3, momentum 0.99), TF `'same'` padding. */
const KERAS_EFFICIENTNET_STYLE: LayerStyle = { bnEpsilon: 1e-3, bnMomentum: 0.99, tfSamePadding: true };

/** `[expandRatio, kernel, stride, inChannels, outChannels, numLayers]` of the seven B0 stages. */
const B0_STAGES: ReadonlyArray<readonly [number, number, number, number, number, number]> = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

/**
 * Tap points of EfficientNet, named after torchvision's `features.N`: `features.0` is the stem (stride 2),
 * `features.1`…`features.7` the MBConv stages (strides 2, 4, 8, 16, 16, 32, 32), `features.8` the 1×1 head
 * conv (1280 channels).
 */
export const EFFICIENTNET_TAP_POINTS = Array.from({ length: 9 }, (_, i) => `features.${i}`);

/** torchvision's `_make_divisible`: round to a multiple of 8 without losing more than 10 %. */
function makeDivisible(v: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

interface MbConv {
  expand: number;
  kernel: number;
  stride: number;
  inChannels: number;
  outChannels: number;
  dropRate: number;
}

function mbConv(f: LayerFactory, x: T, name: string, c: MbConv): T {
  const expanded = makeDivisible(c.inChannels * c.expand);
  let h = x;
  let i = 0;
  if (expanded !== c.inChannels) {
    h = f.act(
      f.bn(f.conv(h, `${name}.block.${i}.0`, { filters: expanded, kernelSize: 1 }), `${name}.block.${i}.1`),
      'swish',
      `${name}.block.${i}.act`,
    );
    i++;
  }
  h = f.act(
    f.bn(
      f.conv(h, `${name}.block.${i}.0`, {
        filters: expanded,
        kernelSize: c.kernel,
        strides: c.stride,
        depthwise: true,
      }),
      `${name}.block.${i}.1`,
    ),
    'swish',
    `${name}.block.${i}.act`,
  );
  i++;
  // Squeeze-excitation; torchvision sizes the bottleneck from the block's input channels, not the expanded ones.
  const squeeze = Math.max(1, Math.floor(c.inChannels / 4));
  let s = tfl.layers.globalAveragePooling2d({ name: `${name}.block.${i}.avgpool` }).apply(h) as T;
  s = tfl.layers.reshape({ targetShape: [1, 1, expanded], name: `${name}.block.${i}.reshape` }).apply(s) as T;
  s = f.conv(s, `${name}.block.${i}.fc1`, {
    filters: squeeze,
    kernelSize: 1,
    useBias: true,
    activation: 'swish',
  });
  s = f.conv(s, `${name}.block.${i}.fc2`, {
    filters: expanded,
    kernelSize: 1,
    useBias: true,
    activation: 'sigmoid',
  });
  h = tfl.layers.multiply({ name: `${name}.block.${i}.scale` }).apply([h, s]) as T;
  i++;
  h = f.bn(
    f.conv(h, `${name}.block.${i}.0`, { filters: c.outChannels, kernelSize: 1 }),
    `${name}.block.${i}.1`,
  );
  if (c.stride !== 1 || c.inChannels !== c.outChannels) return h;
  if (c.dropRate > 0)
    h = new StochasticDepth({ rate: c.dropRate, name: `${name}.stochastic_depth` }).apply(h) as T;
  return tfl.layers.add({ name: `${name}.add` }).apply([h, x]) as T;
}

/**
 * Builds a torchvision EfficientNet (B0–B4 family: BN eps 1e-5, momentum 0.1, SE with SiLU/sigmoid, linear
 * stochastic-depth schedule). Layer names equal torchvision's module paths. With `options.variant ===
 * 'keras'`, keras.applications' flavour of the same network: stride-2 convs padded as TensorFlow's
 * `'same'` (lopsided on even inputs) and BN eps 1e-3; the rest (block layout, SE sizing, drop-connect
 * schedule, dropout) is the same in both.
 */
export function buildEfficientNet(
  spec: EfficientNetSpec,
  options: ResolvedOptions,
  modelName: string,
): BuiltGraph {
  const f = new LayerFactory(
    options.seed,
    options.variant === 'keras' ? KERAS_EFFICIENTNET_STYLE : TORCH_STYLE,
  );
  const input = tfl.input({ shape: [options.inputSize, options.inputSize, 3], name: `${modelName}.input` });
  const taps: Record<string, T> = {};
  const stages = B0_STAGES.map(([expand, kernel, stride, cin, cout, n]) => ({
    expand,
    kernel,
    stride,
    inChannels: makeDivisible(cin * spec.widthMult),
    outChannels: makeDivisible(cout * spec.widthMult),
    layers: Math.ceil(n * spec.depthMult),
  }));
  const stemChannels = stages[0]!.inChannels;
  let x = f.act(
    f.bn(f.stem(input, 'features.0.0', stemChannels, 3, 2), 'features.0.1'),
    'swish',
    'features.0.act',
  );
  taps['features.0'] = x;
  const total = stages.reduce((sum, s) => sum + s.layers, 0);
  let blockId = 0;
  stages.forEach((stage, s) => {
    for (let j = 0; j < stage.layers; j++) {
      x = mbConv(f, x, `features.${s + 1}.${j}`, {
        expand: stage.expand,
        kernel: stage.kernel,
        stride: j === 0 ? stage.stride : 1,
        inChannels: j === 0 ? stage.inChannels : stage.outChannels,
        outChannels: stage.outChannels,
        dropRate: (options.dropConnectRate * blockId) / total,
      });
      blockId++;
    }
    taps[`features.${s + 1}`] = x;
  });
  const lastIn = stages[stages.length - 1]!.outChannels;
  x = f.act(
    f.bn(f.conv(x, 'features.8.0', { filters: 4 * lastIn, kernelSize: 1 }), 'features.8.1'),
    'swish',
    'features.8.act',
  );
  taps['features.8'] = x;
  const logits = f.head(x, options.numClasses, options.dropout, 'classifier.1');
  return { input, logits, taps };
}
