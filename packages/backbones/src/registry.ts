import { buildEfficientNet, EFFICIENTNET_TAP_POINTS } from './efficientnet';
import { buildMesoNet, MESONET_TAP_POINTS } from './mesonet';
import type { BackboneInfo, BackboneName, BackboneVariant, BuiltGraph, ResolvedOptions } from './options';
import { buildResNet, RESNET_TAP_POINTS } from './resnet';
import { buildXception, XCEPTION_TAP_POINTS } from './xception';

/** QAD's ResNet taps: the stage outputs layer1–3 (the authors'; layer4 and the logits are not tapped). */
const RESNET_TAPS = ['layer1', 'layer2', 'layer3'];

/**
 * EfficientNet taps: the authors published none, so the last stage output at each of strides 4, 8 and 16
 * (`features.2`: 24 ch, `features.3`: 40 ch, `features.5`: 112 ch), the depths of ResNet's layer1–3.
 */
const EFFICIENTNET_TAPS = ['features.2', 'features.3', 'features.5'];

interface Entry {
  info: BackboneInfo;
  /** Name of the classifier layer (excluded from partial loads and the backbone parameter count). */
  head: string;
  build: (options: ResolvedOptions) => BuiltGraph;
}

function resnet(
  name: BackboneName,
  blocks: [number, number, number, number],
  bottleneck: boolean,
  params: number,
): Entry {
  return {
    info: {
      name,
      inputSize: 224,
      params,
      defaultTaps: RESNET_TAPS,
      tapPoints: RESNET_TAP_POINTS,
      dropout: 0,
      dropConnectRate: 0,
      // keras.applications has ResNet-50 but no ResNet-18/34.
      variants: bottleneck ? ['torchvision', 'keras'] : ['torchvision'],
    },
    head: 'fc',
    build: (o) => buildResNet({ blocks, bottleneck }, o, name),
  };
}

function efficientnet(
  name: BackboneName,
  inputSize: number,
  widthMult: number,
  depthMult: number,
  dropout: number,
  params: number,
): Entry {
  return {
    info: {
      name,
      inputSize,
      params,
      defaultTaps: EFFICIENTNET_TAPS,
      tapPoints: EFFICIENTNET_TAP_POINTS,
      dropout,
      dropConnectRate: 0.2,
      // keras.applications' B4 layout is not mapped here (only B0/B1 are tested against Keras).
      variants: widthMult === 1 ? ['torchvision', 'keras'] : ['torchvision'],
    },
    head: 'classifier.1',
    build: (o) => buildEfficientNet({ widthMult, depthMult }, o, name),
  };
}

function mesonet(name: BackboneName, inception: boolean, params: number): Entry {
  return {
    info: {
      name,
      inputSize: 256,
      params,
      // The three pooled blocks before the last, at strides 2, 4 and 8 (the last is 8×8×16 at 256 px).
      defaultTaps: ['block1', 'block2', 'block3'],
      tapPoints: MESONET_TAP_POINTS,
      dropout: 0.5,
      dropConnectRate: 0,
      variants: ['keras'],
    },
    head: 'classifier',
    build: (o) => buildMesoNet(inception, o, name),
  };
}

/**
 * Every registered architecture. Parameter counts are trainable parameters without the classifier head:
 * torchvision's minus the 1000-class head for ResNet and EfficientNet; the MesoNet paper's 27,977 and 28,615
 * minus their 17-parameter sigmoid unit; Xception's 22,855,952 minus its 1000-class head.
 */
export const REGISTRY: Readonly<Record<BackboneName, Entry>> = {
  resnet18: resnet('resnet18', [2, 2, 2, 2], false, 11_176_512),
  resnet34: resnet('resnet34', [3, 4, 6, 3], false, 21_284_672),
  resnet50: resnet('resnet50', [3, 4, 6, 3], true, 23_508_032),
  efficientnet_b0: efficientnet('efficientnet_b0', 224, 1.0, 1.0, 0.2, 4_007_548),
  efficientnet_b1: efficientnet('efficientnet_b1', 240, 1.0, 1.1, 0.2, 6_513_184),
  // SBI's and MAT's backbone: width 1.4, depth 1.8, 380 px, dropout 0.4 (torchvision's B4).
  efficientnet_b4: efficientnet('efficientnet_b4', 380, 1.4, 1.8, 0.4, 17_548_616),
  meso4: mesonet('meso4', false, 27_960),
  mesoinception4: mesonet('mesoinception4', true, 28_598),
  xception: {
    info: {
      name: 'xception',
      inputSize: 299,
      params: 20_806_952,
      // Strides 4, 8 and 16 (128, 256 and 728 channels at 299 px), as the ResNet and EfficientNet taps.
      defaultTaps: ['block1', 'block2', 'block3'],
      tapPoints: XCEPTION_TAP_POINTS,
      dropout: 0,
      dropConnectRate: 0,
      variants: ['torchvision'],
    },
    head: 'last_linear',
    build: (o) => buildXception(o, 'xception'),
  },
};

/**
 * Lists the registered architectures with their default input size, parameter count (without head) and
 * default taps.
 *
 * @example
 * ```ts
 * for (const b of listBackbones()) console.log(b.name, b.inputSize, b.params);
 * ```
 */
export function listBackbones(): BackboneInfo[] {
  return Object.values(REGISTRY).map((e) => ({
    ...e.info,
    defaultTaps: [...e.info.defaultTaps],
    tapPoints: [...e.info.tapPoints],
    variants: [...e.info.variants] as BackboneVariant[],
  }));
}
