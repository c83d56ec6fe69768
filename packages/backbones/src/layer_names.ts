import type * as tfl from '@tensorflow/tfjs-layers';

/** Key naming of a PyTorch state dict: torchvision's module paths, or timm's. */
export type TorchNaming = 'torchvision' | 'timm';

/** Layer naming of a weight file: the model's own (torchvision), timm's, or keras.applications'. */
export type LayerNaming = TorchNaming | 'keras';

/** Architecture family of a model, read from its layer names (`null`: none of the registered ones). */
export type Family = 'basic-resnet' | 'bottleneck-resnet' | 'efficientnet';

/** The family of a model with these layer names. */
export function family(names: ReadonlySet<string>): Family | null {
  if (names.has('features.0.0') && names.has('features.8.0')) return 'efficientnet';
  if (names.has('conv1') && names.has('layer1.0.conv1')) {
    return names.has('layer1.0.conv3') ? 'bottleneck-resnet' : 'basic-resnet';
  }
  return null;
}

/** Roles of the sub-blocks of a torchvision MBConv `features.s.j.block.i`, in order. */
type MbRole = 'expand' | 'dw' | 'se' | 'project';

function mbRoles(names: ReadonlySet<string>, block: string): MbRole[] {
  // A block with an expansion conv has four sub-blocks; the expand-ratio-1 blocks of stage 1 have three.
  return names.has(`${block}.block.3.0`) ? ['expand', 'dw', 'se', 'project'] : ['dw', 'se', 'project'];
}

const MBCONV = /^features\.(\d+)\.(\d+)\.block\.(\d+)\.(0|1|fc1|fc2)$/;

/** keras.applications names of an MBConv sub-layer: `[conv or fc1, bn or fc2]` per role. */
const KERAS_MB: Record<MbRole, [string, string]> = {
  expand: ['expand_conv', 'expand_bn'],
  dw: ['dwconv', 'bn'],
  se: ['se_reduce', 'se_expand'],
  project: ['project_conv', 'project_bn'],
};

/**
 * timm names of an MBConv sub-layer: `InvertedResidual` (with expansion) numbers its BNs 1–3, the
 * `DepthwiseSeparableConv` of stage 1 (no expansion) 1–2.
 */
const TIMM_MB: Record<'expanding' | 'separable', Partial<Record<MbRole, [string, string]>>> = {
  expanding: {
    expand: ['conv_pw', 'bn1'],
    dw: ['conv_dw', 'bn2'],
    se: ['se.conv_reduce', 'se.conv_expand'],
    project: ['conv_pwl', 'bn3'],
  },
  separable: {
    dw: ['conv_dw', 'bn1'],
    se: ['se.conv_reduce', 'se.conv_expand'],
    project: ['conv_pw', 'bn2'],
  },
};

const KERAS_FIXED: Record<string, string> = {
  conv1: 'conv1_conv',
  bn1: 'conv1_bn',
  fc: 'predictions',
  'features.0.0': 'stem_conv',
  'features.0.1': 'stem_bn',
  'features.8.0': 'top_conv',
  'features.8.1': 'top_bn',
  'classifier.1': 'predictions',
};

const TIMM_FIXED: Record<string, string> = {
  'features.0.0': 'conv_stem',
  'features.0.1': 'bn1',
  'features.8.0': 'conv_head',
  'features.8.1': 'bn2',
  'classifier.1': 'classifier',
};

/** keras.applications ResNet50 name of a torchvision ResNet layer, or `null` when it has none. */
function kerasResNet(name: string): string | null {
  const m =
    /^layer(\d)\.(\d+)\.(conv|bn)(\d)$/.exec(name) ?? /^layer(\d)\.(\d+)\.downsample\.([01])$/.exec(name);
  if (m === null) return null;
  const [, stage, index] = m;
  const prefix = `conv${Number(stage) + 1}_block${Number(index) + 1}`;
  // downsample.0 / .1 is Keras's shortcut `_0_conv` / `_0_bn`; convK / bnK is `_K_conv` / `_K_bn`.
  if (m[3] === '0' || m[3] === '1') return `${prefix}_0_${m[3] === '0' ? 'conv' : 'bn'}`;
  return `${prefix}_${m[4]}_${m[3]}`;
}

function mbConvName(names: ReadonlySet<string>, name: string, scheme: 'timm' | 'keras'): string | null {
  const m = MBCONV.exec(name);
  if (m === null) return null;
  const [, stage, index, sub, part] = m as unknown as [string, string, string, string, string];
  const block = `features.${stage}.${index}`;
  const roles = mbRoles(names, block);
  const role = roles[Number(sub)];
  if (role === undefined) return null;
  const second = part === '1' || part === 'fc2';
  if (scheme === 'keras') {
    // keras.applications names blocks `block{stage}{a, b, c…}_`.
    const prefix = `block${stage}${String.fromCharCode(97 + Number(index))}_`;
    return prefix + KERAS_MB[role][second ? 1 : 0];
  }
  const pair = TIMM_MB[roles.length === 4 ? 'expanding' : 'separable'][role]!;
  // timm's `blocks.0` is torchvision's `features.1`.
  return `blocks.${Number(stage) - 1}.${index}.${pair[second ? 1 : 0]}`;
}

/**
 * Returns a function giving, for each layer of `model`, its name in a weight file that uses `naming`:
 * torchvision's module path (the model's own name), timm's (`conv_stem`, `blocks.1.0.conv_pw`, …) or
 * keras.applications' (`conv2_block1_1_conv`, `block2a_expand_conv`, …). Layers without a counterpart in
 * the scheme (or models that are none of the registered architectures) keep their own names.
 *
 * @param fn Function name for the error thrown when keras.applications has no such architecture.
 */
export function fileLayerNamer(
  model: tfl.LayersModel,
  naming: LayerNaming,
  fn: string,
): (layer: string) => string {
  if (naming === 'torchvision') return (layer) => layer;
  const names = new Set(model.layers.map((l) => l.name));
  const kind = family(names);
  if (naming === 'timm') {
    // timm's ResNets use torchvision's names.
    if (kind !== 'efficientnet') return (layer) => layer;
    return (layer) => TIMM_FIXED[layer] ?? mbConvName(names, layer, 'timm') ?? layer;
  }
  if (kind === 'basic-resnet') {
    throw new Error(
      `'${fn}' cannot map ${model.name} to Keras names: keras.applications has no basic-block ResNet ` +
        '(ResNet-18/34); Keras weights exist for resnet50, efficientnet_b0 and efficientnet_b1.',
    );
  }
  if (kind === 'bottleneck-resnet') return (layer) => KERAS_FIXED[layer] ?? kerasResNet(layer) ?? layer;
  if (kind === 'efficientnet') {
    return (layer) => KERAS_FIXED[layer] ?? mbConvName(names, layer, 'keras') ?? layer;
  }
  return (layer) => layer;
}
