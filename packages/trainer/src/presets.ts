import type { CollaborativePreset } from '@qad/hsic';

/** Training hyper-parameters that presets fill in. */
export interface TrainingHyperParameters {
  inputSize: number;
  batchPerQuality: number;
  epochs: number;
  learningRate: number;
  weightDecay: number;
  alpha: number;
  gamma: number;
  awpWarmupEpochs: number;
  validationWarmupEpochs: number;
  validationsPerEpoch: number;
  seed: number;
  /** The collaborative loss's preset (`@qad/hsic`): `authors` (NOCCO), `paper` (biased HSIC) or `cka`. */
  hsicPreset: CollaborativePreset;
}

/** Preset names: `authors` = the authors' released configuration (the default), `paper` = the paper's text. */
export type PresetName = 'authors' | 'paper';

const AUTHORS_RESNET: TrainingHyperParameters = {
  inputSize: 224,
  batchPerQuality: 64,
  epochs: 32,
  learningRate: 2e-4,
  weightDecay: 1e-4,
  alpha: 0.003,
  gamma: 0.002,
  awpWarmupEpochs: 3,
  validationWarmupEpochs: 3,
  validationsPerEpoch: 10,
  seed: 41,
  hsicPreset: 'authors',
};

const AUTHORS_EFFICIENTNET: TrainingHyperParameters = {
  ...AUTHORS_RESNET,
  inputSize: 240,
  batchPerQuality: 32,
  alpha: 0.002,
  gamma: 0.006,
};

/**
 * MesoNet's recipe (Afchar et al. 2018): Adam at lr 1e-3 with default betas, mini-batches of 75 images of
 * 256 px, no weight decay. Their step decay (÷10 every 1000 iterations) is replaced by the trainer's one-cycle
 * schedule, and the epoch count is not published: ResNet's is kept. The QAD terms, should one add them, are
 * ResNet's (no one published any for MesoNet).
 */
const MESONET_RECIPE: TrainingHyperParameters = {
  ...AUTHORS_RESNET,
  inputSize: 256,
  batchPerQuality: 75,
  learningRate: 1e-3,
  weightDecay: 0,
};

/**
 * FaceForensics++'s Xception recipe (Rössler et al. 2019): Adam at lr 2e-4, mini-batches of 32 images of
 * 299 px, 3 + 15 epochs (3 training only the new head, then the whole network: the trainer trains the whole
 * network throughout, so 18 epochs of it), no weight decay.
 */
const XCEPTION_FFPP_RECIPE: TrainingHyperParameters = {
  ...AUTHORS_RESNET,
  inputSize: 299,
  batchPerQuality: 32,
  epochs: 18,
  learningRate: 2e-4,
  weightDecay: 0,
};

/**
 * Hyper-parameters of a preset for a backbone. The comparison detectors (`meso4`, `mesoinception4`,
 * `xception`) get their authors' recipes under either preset name, the paper having no other. The authors published configurations for ResNet-50 (QAD-R) and
 * EfficientNet-B1 (QAD-E); the other ResNets use ResNet-50's and EfficientNet-B0 uses B1's with its own input
 * size (224). The `paper` preset applies the paper's text (section 4.2) on top: Adam at lr 2e-3, mini-batch 64,
 * {σ 6, α 0.004, γ 0.002} for ResNet-50 and {σ 6, α 0.002, γ 0.006} for EfficientNet-B1, biased HSIC (Eq. 8)
 * with unit tap weights — the paper weights no layer.
 */
export function presetFor(backbone: string, preset: PresetName = 'authors'): TrainingHyperParameters {
  if (preset !== 'authors' && preset !== 'paper') {
    throw new Error(`Unknown preset '${String(preset)}'; use 'authors' or 'paper'.`);
  }
  if (backbone.startsWith('meso')) return { ...MESONET_RECIPE };
  if (backbone === 'xception') return { ...XCEPTION_FFPP_RECIPE };
  const efficientNet = backbone.startsWith('efficientnet');
  const base = efficientNet ? AUTHORS_EFFICIENTNET : AUTHORS_RESNET;
  // Each EfficientNet at its own default size (B1's 240 is the authors'; B0 224, B4 380 as torchvision's).
  const inputSize =
    backbone === 'efficientnet_b0' ? 224 : backbone === 'efficientnet_b4' ? 380 : base.inputSize;
  const authors = { ...base, inputSize };
  if (preset === 'authors') return authors;
  return {
    ...authors,
    learningRate: 2e-3,
    batchPerQuality: 64,
    alpha: efficientNet ? 0.002 : 0.004,
    gamma: efficientNet ? 0.006 : 0.002,
    hsicPreset: 'paper',
  };
}
