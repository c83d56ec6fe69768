import * as tfl from '@tensorflow/tfjs-layers';
import { LayerFactory, TORCH_STYLE } from './layer_factory';
import type { BuiltGraph, ResolvedOptions } from './options';
import { PaddedMaxPooling2D } from './padded_max_pool';

type T = tfl.SymbolicTensor;

/** Tap points of Xception, in forward order: the entry convs, the twelve blocks, and the exit convs. */
export const XCEPTION_TAP_POINTS = [
  'entry',
  ...Array.from({ length: 12 }, (_, i) => `block${i + 1}`),
  'exit',
];

/** One residual block: channels in and out, separable convs, stride, whether it starts with a ReLU. */
interface BlockSpec {
  out: number;
  reps: number;
  stride: number;
  startWithRelu: boolean;
  /** Widen on the first separable conv (entry and middle flow) or on the last (block 12). */
  growFirst: boolean;
}

/** Chollet's Xception (CVPR 2017): entry flow blocks 1–3, middle flow 4–11, exit flow block 12. */
const BLOCKS: BlockSpec[] = [
  { out: 128, reps: 2, stride: 2, startWithRelu: false, growFirst: true },
  { out: 256, reps: 2, stride: 2, startWithRelu: true, growFirst: true },
  { out: 728, reps: 2, stride: 2, startWithRelu: true, growFirst: true },
  ...Array.from({ length: 8 }, () => ({
    out: 728,
    reps: 3,
    stride: 1,
    startWithRelu: true,
    growFirst: true,
  })),
  { out: 1024, reps: 2, stride: 2, startWithRelu: true, growFirst: false },
];

/** A depthwise 3×3 (padding 1) then a pointwise 1×1, both bias-free: `<name>.conv1` and `<name>.pointwise`. */
function separable(f: LayerFactory, x: T, name: string, filters: number): T {
  const depthwise = f.conv(x, `${name}.conv1`, { filters: 0, kernelSize: 3, depthwise: true });
  return f.conv(depthwise, `${name}.pointwise`, { filters, kernelSize: 1 });
}

/**
 * A block as the layout FaceForensics++ trains (the PyTorch port of Xception it builds on): the sequence
 * `rep` of [ReLU], separable conv, batch norm, … and a 3×3 stride-2 max pool (padding 1) where the block
 * downsamples, plus a 1×1 conv + batch norm skip where the shape changes. Layer names are that port's module
 * paths (`block1.rep.0.pointwise`, `block1.skip`, `block1.skipbn`), so its state dicts map one to one.
 */
function block(f: LayerFactory, x: T, name: string, spec: BlockSpec): T {
  const inChannels = x.shape[3] as number;
  const widths: Array<[number, number]> = [];
  let channels = inChannels;
  if (spec.growFirst) {
    widths.push([channels, spec.out]);
    channels = spec.out;
  }
  for (let i = 0; i < spec.reps - 1; i++) widths.push([channels, channels]);
  if (!spec.growFirst) widths.push([inChannels, spec.out]);
  let h = x;
  // Module index inside `rep`: every (ReLU, separable, BN) triple takes three slots; a block that does not
  // start with a ReLU has its first ReLU removed, shifting every index by one.
  let index = 0;
  widths.forEach(([, out], i) => {
    if (i > 0 || spec.startWithRelu) {
      h = f.act(h, 'relu', `${name}.rep.${index}`);
      index++;
    }
    h = separable(f, h, `${name}.rep.${index}`, out);
    h = f.bn(h, `${name}.rep.${index + 1}`);
    index += 2;
  });
  if (spec.stride !== 1) {
    h = new PaddedMaxPooling2D({
      poolSize: 3,
      strides: spec.stride,
      padding: 1,
      name: `${name}.rep.${index}`,
    }).apply(h) as T;
  }
  const skip =
    spec.stride !== 1 || inChannels !== spec.out
      ? f.bn(
          f.conv(x, `${name}.skip`, { filters: spec.out, kernelSize: 1, strides: spec.stride }),
          `${name}.skipbn`,
        )
      : x;
  return tfl.layers.add({ name: `${name}.add` }).apply([h, skip]) as T;
}

/**
 * Builds Xception (Chollet, CVPR 2017) as FaceForensics++ (Rössler et al., ICCV 2019) uses it as its
 * baseline detector: the entry convs without padding (299 → 149 → 147), twelve blocks, separable convs of
 * 1536 and 2048 channels, global average pooling and a `numClasses` linear head named `last_linear`.
 * PyTorch conventions (batch norm eps 1e-5, momentum 0.1).
 */
export function buildXception(options: ResolvedOptions, modelName: string): BuiltGraph {
  const f = new LayerFactory(options.seed, TORCH_STYLE);
  const input = tfl.input({ shape: [options.inputSize, options.inputSize, 3], name: `${modelName}.input` });
  const taps: Record<string, T> = {};
  let x = f.act(f.bn(f.stem(input, 'conv1', 32, 3, 2, 0), 'bn1'), 'relu', 'relu1');
  x = f.act(f.bn(f.conv(x, 'conv2', { filters: 64, kernelSize: 3, padding: 0 }), 'bn2'), 'relu', 'relu2');
  taps.entry = x;
  BLOCKS.forEach((spec, i) => {
    x = block(f, x, `block${i + 1}`, spec);
    taps[`block${i + 1}`] = x;
  });
  x = f.act(f.bn(separable(f, x, 'conv3', 1536), 'bn3'), 'relu', 'relu3');
  x = f.act(f.bn(separable(f, x, 'conv4', 2048), 'bn4'), 'relu', 'relu4');
  taps.exit = x;
  const logits = f.head(x, options.numClasses, options.dropout, 'last_linear');
  return { input, logits, taps };
}
