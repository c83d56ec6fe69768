import type { ExperimentConfig } from '@qad/cli';
import type { Dataset, PaperCell } from './paper_rows';

/** One training run of the paper and every cell of its tables and figures that its test scores fill. */
export interface PaperExperiment {
  /** File name (without `.yaml`) and the run's id. */
  id: string;
  /** The cells it fills (several when tables share a run: Table 1 and 2, QAD-R in Tables 1, 3 and 4, …). */
  cells: PaperCell[];
  config: ExperimentConfig;
}

/** Where the real data sets live; override with environment variables when running for real. */
export const DATA_ROOTS = {
  ffpp: '${FFPP_ROOT}',
  celebdf: '${CELEBDF_ROOT}',
  ffiw: '${FFIW_ROOT}',
} as const;

const DATASETS: readonly Dataset[] = ['NT', 'DF', 'F2F', 'FS', 'FSH', 'CDFv2', 'FFIW10K'];
const FFPP_METHOD: Partial<Record<Dataset, string>> = {
  NT: 'NeuralTextures',
  DF: 'Deepfakes',
  F2F: 'Face2Face',
  FS: 'FaceSwap',
  FSH: 'FaceShifter',
};

/** ImageNet weights a user exports once (torchvision, or the Xception port FaceForensics++ uses); MesoNet has none. */
const WEIGHTS: Record<string, string | undefined> = {
  resnet18: '${WEIGHTS_DIR}/resnet18-imagenet.safetensors',
  resnet34: '${WEIGHTS_DIR}/resnet34-imagenet.safetensors',
  resnet50: '${WEIGHTS_DIR}/resnet50-imagenet.safetensors',
  efficientnet_b0: '${WEIGHTS_DIR}/efficientnet_b0-imagenet.safetensors',
  efficientnet_b1: '${WEIGHTS_DIR}/efficientnet_b1-imagenet.safetensors',
  xception: '${WEIGHTS_DIR}/xception-imagenet.safetensors',
  mesoinception4: undefined,
};

type Backbone = ExperimentConfig['model']['backbone'];

function data(dataset: Dataset): ExperimentConfig['data'] {
  const method = FFPP_METHOD[dataset];
  const common = {
    qualities: ['raw', 'c23', 'c40'],
    framesPerVideo: 32,
    faces: 'detect' as const,
    preResize: 128,
  };
  if (method !== undefined) {
    return {
      format: 'ffpp',
      root: DATA_ROOTS.ffpp,
      crops: `${DATA_ROOTS.ffpp}/crops`,
      methods: [method],
      ...common,
    };
  }
  // Celeb-DF v2 and FFIW10K ship one quality: c23/c40 are transcoded copies (see README).
  const format = dataset === 'CDFv2' ? 'celebdf' : 'ffiw';
  const root = DATA_ROOTS[format];
  return {
    format,
    root,
    crops: `${root}/crops`,
    variants: { c23: `${root}-c23`, c40: `${root}-c40` },
    ...common,
  };
}

interface RunSpec {
  id: string;
  dataset: Dataset;
  backbone: Backbone;
  method: string;
  cells: PaperCell[];
  alpha?: number;
  gamma?: number;
  inputSize?: number;
}

function experiment(spec: RunSpec): PaperExperiment {
  const weights = WEIGHTS[spec.backbone];
  return {
    id: spec.id,
    cells: spec.cells,
    config: {
      name: spec.id,
      data: data(spec.dataset),
      model: {
        backbone: spec.backbone,
        ...(weights === undefined ? {} : { weights }),
        ...(spec.inputSize === undefined ? {} : { inputSize: spec.inputSize }),
      },
      train: {
        method: spec.method,
        preset: 'authors',
        selectBy: 'accuracy',
        ...(spec.alpha === undefined ? {} : { alpha: spec.alpha }),
        ...(spec.gamma === undefined ? {} : { gamma: spec.gamma }),
      },
      eval: {
        qualities: ['raw', 'c23', 'c40', 'jpeg'],
        jpeg: { min: 60, max: 100, seed: 0 },
        batchSize: 64,
        // The paper's ACC: at 0.5, as the FF++ benchmark reports it.
        threshold: 0.5,
      },
      output: `runs/${spec.id}`,
      backend: 'auto',
    },
  };
}

const slug = (d: Dataset) => d.toLowerCase();
const cell = (table: PaperCell['table'], row: string, column: string): PaperCell => ({ table, row, column });

/**
 * Every training run behind the paper's Tables 1–5 and Figures 3–4, for the systems this project has. Written
 * independently of `paper_rows.ts` (the hand-written list of the paper's cells); the test checks that the two
 * agree cell for cell.
 */
export function paperExperiments(): PaperExperiment[] {
  const out: RunSpec[] = [];
  for (const d of DATASETS) {
    // Quality-agnostic systems trained on raw + c23 + c40; Table 2 is the same runs tested on random JPEG.
    for (const [backbone, label] of [
      ['mesoinception4', 'MesoNet'],
      ['xception', 'Rössler et al.'],
    ] as const) {
      out.push({
        id: `t1-${slug(d)}-${backbone}-ce`,
        dataset: d,
        backbone,
        method: 'ce',
        cells: [cell('T1', label, d), cell('T2', label, d)],
      });
    }
    for (const [backbone, label] of [
      ['resnet50', 'QAD-R'],
      ['efficientnet_b1', 'QAD-E'],
    ] as const) {
      const cells = [cell('T1', label, d), cell('T2', label, d), cell('T3', label, d)];
      // QAD-R on NeuralTextures is also Table 4's last row and Figure 4's point at the default 224 px.
      if (backbone === 'resnet50' && d === 'NT')
        cells.push(cell('T4', 'QAD (ours)', d), cell('F4', 'QAD @ 224', d));
      out.push({ id: `t1-${slug(d)}-${backbone}-qad`, dataset: d, backbone, method: 'qad', cells });
      // Table 3's quality-aware baselines: one model per quality, each tested on its own.
      out.push({
        id: `t3-${slug(d)}-${backbone}-quality-aware`,
        dataset: d,
        backbone,
        method: 'quality-aware',
        cells: [cell('T3', backbone === 'resnet50' ? 'ResNet-50 [×3]' : 'EfficientNet-B1 [×3]', d)],
      });
    }
    for (const [backbone, label] of [
      ['resnet18', 'ResNet18'],
      ['resnet34', 'ResNet34'],
      ['efficientnet_b0', 'EfficientNet-B0'],
    ] as const) {
      for (const method of ['ce', 'qad']) {
        out.push({
          id: `t5-${slug(d)}-${backbone}-${method}`,
          dataset: d,
          backbone,
          method,
          cells: [cell('T5', `${label} ${method === 'qad' ? '✓' : '✗'}`, d)],
        });
      }
    }
  }
  // Table 4: ResNet-50 on NeuralTextures with one alternative component each.
  const table4: [string, string][] = [
    ['ce', 'Baseline'],
    ['soft-label', 'Soft-label'],
    ['pairwise', 'Pairwise loss'],
    ['center', 'Center loss'],
    ['hsic', 'HSIC'],
    ['awp-kl', 'AWP-KL'],
    ['awp-xe', 'AWP-XE'],
  ];
  for (const [method, row] of table4) {
    const cells = [cell('T4', row, 'NT')];
    if (method === 'ce')
      cells.push(cell('F3', 'α 0, γ 0 (baseline)', 'NT'), cell('F4', 'ResNet-50 @ 224', 'NT'));
    out.push({ id: `t4-nt-resnet50-${method}`, dataset: 'NT', backbone: 'resnet50', method, cells });
  }
  // Figure 3: the α × γ grid of QAD-R on NeuralTextures.
  for (const alpha of [0.002, 0.004, 0.008]) {
    for (const gamma of [0.001, 0.002, 0.003, 0.004]) {
      out.push({
        id: `f3-nt-resnet50-qad-a${alpha}-g${gamma}`,
        dataset: 'NT',
        backbone: 'resnet50',
        method: 'qad',
        alpha,
        gamma,
        cells: [cell('F3', `α ${alpha}, γ ${gamma}`, 'NT')],
      });
    }
  }
  // Figure 4: input sizes; 224 is the default, already run above.
  for (const inputSize of [56, 112, 168, 280, 336]) {
    for (const method of ['ce', 'qad']) {
      out.push({
        id: `f4-nt-resnet50-${method}-${inputSize}`,
        dataset: 'NT',
        backbone: 'resnet50',
        method,
        inputSize,
        cells: [cell('F4', `${method === 'qad' ? 'QAD' : 'ResNet-50'} @ ${inputSize}`, 'NT')],
      });
    }
  }
  return out.map(experiment);
}
