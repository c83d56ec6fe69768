import type { ExperimentConfig } from '@qad/cli';

/** One experiment of the paper: which table, which row, and its configuration for real data. */
export interface PaperExperiment {
  /** File name (without `.yaml`) and the run's id. */
  id: string;
  table: 1 | 3 | 4 | 5;
  /** Row of the table the result goes into. */
  row: string;
  config: ExperimentConfig;
}

/** Where the real data sets live; override with environment variables when running for real. */
export const DATA_ROOTS = {
  ffpp: '${FFPP_ROOT}',
  celebdf: '${CELEBDF_ROOT}',
  ffiw: '${FFIW_ROOT}',
} as const;

const FFPP_METHODS = ['Deepfakes', 'Face2Face', 'FaceSwap', 'NeuralTextures', 'FaceShifter'] as const;
const ABBREVIATION: Record<string, string> = {
  Deepfakes: 'DF',
  Face2Face: 'F2F',
  FaceSwap: 'FS',
  NeuralTextures: 'NT',
  FaceShifter: 'FSH',
  celebdf: 'CDFv2',
  ffiw: 'FFIW10K',
};
const BACKBONE_LABEL: Record<string, string> = {
  resnet18: 'ResNet-18',
  resnet34: 'ResNet-34',
  resnet50: 'ResNet-50',
  efficientnet_b0: 'EfficientNet-B0',
  efficientnet_b1: 'EfficientNet-B1',
};
const WEIGHTS: Record<string, string> = {
  resnet18: '${WEIGHTS_DIR}/resnet18-imagenet.safetensors',
  resnet34: '${WEIGHTS_DIR}/resnet34-imagenet.safetensors',
  resnet50: '${WEIGHTS_DIR}/resnet50-imagenet.safetensors',
  efficientnet_b0: '${WEIGHTS_DIR}/efficientnet_b0-imagenet.safetensors',
  efficientnet_b1: '${WEIGHTS_DIR}/efficientnet_b1-imagenet.safetensors',
};

type Backbone = ExperimentConfig['model']['backbone'];

function experiment(
  id: string,
  table: PaperExperiment['table'],
  row: string,
  data: ExperimentConfig['data'],
  backbone: Backbone,
  method: string,
): PaperExperiment {
  return {
    id,
    table,
    row,
    config: {
      name: id,
      data,
      model: { backbone, weights: WEIGHTS[backbone] },
      train: { method, preset: 'authors', selectBy: 'accuracy' },
      eval: {
        qualities: ['raw', 'c23', 'c40', 'jpeg'],
        jpeg: { min: 60, max: 100, seed: 0 },
        batchSize: 64,
        // The paper's ACC: at 0.5, as the FF++ benchmark reports it.
        threshold: 0.5,
      },
      output: `runs/${id}`,
      backend: 'auto',
    },
  };
}

const ffpp = (methods?: readonly string[]): ExperimentConfig['data'] => ({
  format: 'ffpp',
  root: DATA_ROOTS.ffpp,
  crops: `${DATA_ROOTS.ffpp}/crops`,
  qualities: ['raw', 'c23', 'c40'],
  methods: methods === undefined ? undefined : [...methods],
  framesPerVideo: 32,
  faces: 'detect',
  preResize: 128,
});

const singleQuality = (format: 'celebdf' | 'ffiw'): ExperimentConfig['data'] => ({
  format,
  root: DATA_ROOTS[format],
  crops: `${DATA_ROOTS[format]}/crops`,
  qualities: ['raw', 'c23', 'c40'],
  variants: { c23: `${DATA_ROOTS[format]}-c23`, c40: `${DATA_ROOTS[format]}-c40` },
  framesPerVideo: 32,
  faces: 'detect',
  preResize: 128,
});

/**
 * Every experiment of Tables 1–5. Table 2 (random JPEG on the test set) is the `jpeg` column of Table 1's runs,
 * which every configuration evaluates.
 */
export function paperExperiments(): PaperExperiment[] {
  const out: PaperExperiment[] = [];
  // Table 1: quality-agnostic, per data set; baselines = the same backbone with mixed-quality cross-entropy.
  const datasets: [string, ExperimentConfig['data']][] = [
    ...FFPP_METHODS.map((m): [string, ExperimentConfig['data']] => [m, ffpp([m])]),
    ['celebdf', singleQuality('celebdf')],
    ['ffiw', singleQuality('ffiw')],
  ];
  for (const [name, data] of datasets) {
    for (const backbone of ['resnet50', 'efficientnet_b1'] as const) {
      for (const method of ['ce', 'qad']) {
        const label =
          method === 'qad' ? `QAD-${backbone === 'resnet50' ? 'R' : 'E'}` : BACKBONE_LABEL[backbone]!;
        out.push(
          experiment(
            `t1-${name.toLowerCase()}-${backbone}-${method}`,
            1,
            `${ABBREVIATION[name]} ${label}`,
            data,
            backbone,
            method,
          ),
        );
      }
    }
  }
  // Table 3: quality-aware (one model per quality) vs one QAD model, FF++ with every method.
  for (const backbone of ['resnet50', 'efficientnet_b1'] as const) {
    for (const method of ['quality-aware', 'qad']) {
      const label =
        method === 'qad' ? `QAD-${backbone === 'resnet50' ? 'R' : 'E'}` : `${BACKBONE_LABEL[backbone]} [×3]`;
      out.push(experiment(`t3-${backbone}-${method}`, 3, label, ffpp(), backbone, method));
    }
  }
  // Table 4: ResNet-50 with other collaborative and adversarial losses.
  const table4: [string, string][] = [
    ['ce', 'Baseline (CE)'],
    ['soft-label+awp-xe', 'Soft-label + AWP-XE'],
    ['pairwise+awp-xe', 'Pairwise + AWP-XE'],
    ['center+awp-xe', 'Center + AWP-XE'],
    ['hsic', 'HSIC only'],
    ['awp-xe', 'AWP-XE only'],
    ['hsic+awp-kl', 'HSIC + AWP-KL'],
    ['qad', 'HSIC + AWP-XE (QAD)'],
  ];
  for (const [method, row] of table4) {
    out.push(experiment(`t4-resnet50-${method.replaceAll('+', '-')}`, 4, row, ffpp(), 'resnet50', method));
  }
  // Table 5: other backbones.
  for (const backbone of ['resnet18', 'resnet34', 'efficientnet_b0'] as const) {
    for (const method of ['ce', 'qad']) {
      out.push(
        experiment(
          `t5-${backbone}-${method}`,
          5,
          `${BACKBONE_LABEL[backbone]} ${method === 'qad' ? 'QAD' : 'CE'}`,
          ffpp(),
          backbone,
          method,
        ),
      );
    }
  }
  return out;
}
