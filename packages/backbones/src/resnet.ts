import * as tfl from '@tensorflow/tfjs-layers';
import { LayerFactory, type LayerStyle, TORCH_STYLE } from './layer_factory';
import type { BuiltGraph, ResolvedOptions } from './options';
import { PaddedMaxPooling2D } from './padded_max_pool';

type T = tfl.SymbolicTensor;

/** Blocks per stage and block kind of one ResNet depth. */
export interface ResNetSpec {
  /** Blocks in layer1..layer4. */
  blocks: [number, number, number, number];
  /** Bottleneck (ResNet-50+) or basic (ResNet-18/34) blocks. */
  bottleneck: boolean;
  /**
   * Put a bottleneck's stride on its first 1×1 conv (ResNet v1, keras.applications) instead of the 3×3
   * (v1.5, torchvision). Default `false`.
   */
  strideOnFirstConv?: boolean;
}

/** keras.applications ResNet: BN eps 1.001e-5, Keras momentum 0.99; padding symmetric like PyTorch's. */
const KERAS_RESNET_STYLE: LayerStyle = { bnEpsilon: 1.001e-5, bnMomentum: 0.99, tfSamePadding: false };

/** Tap points of every ResNet, in forward order: after the max-pool, and the four stage outputs. */
export const RESNET_TAP_POINTS = ['stem', 'layer1', 'layer2', 'layer3', 'layer4'];

function block(f: LayerFactory, x: T, name: string, width: number, stride: number, spec: ResNetSpec): T {
  const out = spec.bottleneck ? width * 4 : width;
  const inChannels = x.shape[3] as number;
  let h: T;
  if (spec.bottleneck) {
    // v1.5: the stride sits on the 3×3 conv, not on the first 1×1 (torchvision, unlike the original paper);
    // v1 (Keras) keeps the paper's placement.
    const [s1, s2] = spec.strideOnFirstConv ? [stride, 1] : [1, stride];
    h = f.act(
      f.bn(f.conv(x, `${name}.conv1`, { filters: width, kernelSize: 1, strides: s1 }), `${name}.bn1`),
      'relu',
      `${name}.relu1`,
    );
    h = f.act(
      f.bn(f.conv(h, `${name}.conv2`, { filters: width, kernelSize: 3, strides: s2 }), `${name}.bn2`),
      'relu',
      `${name}.relu2`,
    );
    h = f.bn(f.conv(h, `${name}.conv3`, { filters: out, kernelSize: 1 }), `${name}.bn3`);
  } else {
    h = f.act(
      f.bn(f.conv(x, `${name}.conv1`, { filters: width, kernelSize: 3, strides: stride }), `${name}.bn1`),
      'relu',
      `${name}.relu1`,
    );
    h = f.bn(f.conv(h, `${name}.conv2`, { filters: width, kernelSize: 3 }), `${name}.bn2`);
  }
  const shortcut =
    stride !== 1 || inChannels !== out
      ? f.bn(
          f.conv(x, `${name}.downsample.0`, { filters: out, kernelSize: 1, strides: stride }),
          `${name}.downsample.1`,
        )
      : x;
  const sum = tfl.layers.add({ name: `${name}.add` }).apply([h, shortcut]) as T;
  return f.act(sum, 'relu', `${name}.relu`);
}

/**
 * Builds a torchvision ResNet (v1.5) graph, or with `options.variant === 'keras'` keras.applications' v1
 * (stride on the first 1×1 conv, BN eps 1.001e-5). Layer names equal torchvision's module paths, so a
 * torchvision or timm state dict maps onto it without a table.
 */
export function buildResNet(spec: ResNetSpec, options: ResolvedOptions, modelName: string): BuiltGraph {
  const keras = options.variant === 'keras';
  const f = new LayerFactory(options.seed, keras ? KERAS_RESNET_STYLE : TORCH_STYLE);
  const blockSpec: ResNetSpec = { ...spec, strideOnFirstConv: keras };
  const input = tfl.input({ shape: [options.inputSize, options.inputSize, 3], name: `${modelName}.input` });
  const taps: Record<string, T> = {};
  const scaled = (channels: number) => Math.max(8, Math.round(channels * options.widthMultiplier));
  let x = f.act(f.bn(f.stem(input, 'conv1', scaled(64), 7, 2), 'bn1'), 'relu', 'relu');
  x = new PaddedMaxPooling2D({ poolSize: 3, strides: 2, padding: 1, name: 'maxpool' }).apply(x) as T;
  taps.stem = x;
  spec.blocks.forEach((count, stage) => {
    const width = scaled(64 * 2 ** stage);
    for (let b = 0; b < count; b++) {
      x = block(f, x, `layer${stage + 1}.${b}`, width, b === 0 && stage > 0 ? 2 : 1, blockSpec);
    }
    taps[`layer${stage + 1}`] = x;
  });
  const logits = f.head(x, options.numClasses, options.dropout, 'fc');
  return { input, logits, taps };
}
