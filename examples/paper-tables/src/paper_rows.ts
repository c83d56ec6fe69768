/**
 * The QAD paper's results, cell by cell, written by hand from the paper's text (Le & Woo, ICCV 2023: Tables 1–5,
 * Figures 3 and 4) and kept apart from the generator (`experiments.ts`), so that a test can check that the
 * generated configurations cover exactly these cells — no row the paper does not have, none missing.
 */

/** The paper's data-set columns, in its order. */
export const DATASETS = ['NT', 'DF', 'F2F', 'FS', 'FSH', 'CDFv2', 'FFIW10K'] as const;
/** One of {@link DATASETS}. */
export type Dataset = (typeof DATASETS)[number];

/** Where the paper's numbers come from: Tables 1–5 and Figures 3–4, in the paper's order. */
export const PAPER_TABLES = ['T1', 'T2', 'T3', 'T4', 'T5', 'F3', 'F4'] as const;
/** One of {@link PAPER_TABLES}. */
export type PaperTable = (typeof PAPER_TABLES)[number];

/**
 * Which test frames a cell scores: `pooled` — raw + c23 + c40 of the test set together (Table 1's "video
 * compression (raw + c23 + c40 of test set)", and Tables 4–5 and the figures, which say nothing else);
 * `jpeg` — random JPEG on the raw test set (Table 2); `mean` — the mean of the raw, c23 and c40 scores
 * (Table 3: "averaged score of the three modalities").
 */
export type CellQuality = 'pooled' | 'jpeg' | 'mean';

/** A detector of the paper and how it is trained, as the paper describes it. */
export interface PaperSystem {
  /** Backbone in `@qad/backbones`' registry, or `null` for a system this project does not have. */
  backbone: string | null;
  /** Training method of `@qad/trainer` / the `qad` CLI, or `null` as above. */
  method: string | null;
  /** Qualities it trains on. */
  trainQualities: readonly string[];
  /** Why it is missing, when it is. */
  missing?: string;
}

/** One row of a table: its label as the paper prints it, the system, and the columns that have a number. */
export interface PaperRow {
  table: PaperTable;
  row: string;
  system: PaperSystem;
  columns: readonly string[];
  quality: CellQuality;
  /** Hyper-parameters the row sets (Figures 3 and 4). */
  overrides?: { alpha?: number; gamma?: number; inputSize?: number };
}

const ALL = DATASETS;
const FF = ['NT', 'DF', 'F2F', 'FS', 'FSH'] as const;
const MIXED = ['raw', 'c23', 'c40'] as const;
const NOT_YET = 'not implemented yet (issue 17)';

const SYSTEMS = {
  // Section 4.3.1: "MesoNet with Inception layer", trained on raw + c23 + c40 like the next four.
  mesonet: { backbone: 'mesoinception4', method: 'ce', trainQualities: MIXED },
  rossler: { backbone: 'xception', method: 'ce', trainQualities: MIXED },
  f3net: { backbone: null, method: null, trainQualities: MIXED, missing: NOT_YET },
  mat: { backbone: null, method: null, trainQualities: MIXED, missing: NOT_YET },
  fangLin: { backbone: null, method: null, trainQualities: MIXED, missing: NOT_YET },
  // SBIs: "trained with the mid-level of video compression (c23)".
  sbis: { backbone: null, method: null, trainQualities: ['c23'], missing: NOT_YET },
  // ADD and BZNet: one model per quality.
  bznet: { backbone: null, method: null, trainQualities: MIXED, missing: NOT_YET },
  add: { backbone: null, method: null, trainQualities: MIXED, missing: NOT_YET },
  qadR: { backbone: 'resnet50', method: 'qad', trainQualities: MIXED },
  qadE: { backbone: 'efficientnet_b1', method: 'qad', trainQualities: MIXED },
} satisfies Record<string, PaperSystem>;

const agnostic = (table: 'T1' | 'T2', quality: CellQuality): PaperRow[] => [
  { table, row: 'MesoNet', system: SYSTEMS.mesonet, columns: ALL, quality },
  { table, row: 'Rössler et al.', system: SYSTEMS.rossler, columns: ALL, quality },
  { table, row: 'F3Net', system: SYSTEMS.f3net, columns: ALL, quality },
  { table, row: 'MAT', system: SYSTEMS.mat, columns: ALL, quality },
  { table, row: 'Fang & Lin', system: SYSTEMS.fangLin, columns: ALL, quality },
  { table, row: 'SBIs', system: SYSTEMS.sbis, columns: FF, quality },
  { table, row: 'BZNet', system: SYSTEMS.bznet, columns: ['NT', 'DF', 'F2F', 'FS'], quality },
  { table, row: 'ADD', system: SYSTEMS.add, columns: FF, quality },
  { table, row: 'QAD-R', system: SYSTEMS.qadR, columns: ALL, quality },
  { table, row: 'QAD-E', system: SYSTEMS.qadE, columns: ALL, quality },
];

const qualityAware = (backbone: string): PaperSystem => ({
  backbone,
  method: 'quality-aware',
  trainQualities: MIXED,
});

/** Table 4's ablation, on NeuralTextures (see README: the data set the paper does not name). */
const resnet50 = (method: string): PaperSystem => ({ backbone: 'resnet50', method, trainQualities: MIXED });

const FIGURE3_ALPHAS = [0.002, 0.004, 0.008];
const FIGURE3_GAMMAS = [0.001, 0.002, 0.003, 0.004];
/** Figure 4: "from 56 to 336"; read as the multiples of 56 (see README). */
const FIGURE4_SIZES = [56, 112, 168, 224, 280, 336];

/** Every row of the paper's result tables and figures. */
export const PAPER_ROWS: readonly PaperRow[] = [
  ...agnostic('T1', 'pooled'),
  ...agnostic('T2', 'jpeg'),
  {
    table: 'T3',
    row: 'BZNet [×3]',
    system: SYSTEMS.bznet,
    columns: ['NT', 'DF', 'F2F', 'FS'],
    quality: 'mean',
  },
  { table: 'T3', row: 'ADD [×3]', system: SYSTEMS.add, columns: FF, quality: 'mean' },
  { table: 'T3', row: 'ResNet-50 [×3]', system: qualityAware('resnet50'), columns: ALL, quality: 'mean' },
  { table: 'T3', row: 'QAD-R', system: SYSTEMS.qadR, columns: ALL, quality: 'mean' },
  {
    table: 'T3',
    row: 'EfficientNet-B1 [×3]',
    system: qualityAware('efficientnet_b1'),
    columns: ALL,
    quality: 'mean',
  },
  { table: 'T3', row: 'QAD-E', system: SYSTEMS.qadE, columns: ALL, quality: 'mean' },
  ...(
    [
      ['Baseline', 'ce'],
      ['Soft-label', 'soft-label'],
      ['Pairwise loss', 'pairwise'],
      ['Center loss', 'center'],
      ['HSIC', 'hsic'],
      ['AWP-KL', 'awp-kl'],
      ['AWP-XE', 'awp-xe'],
      ['QAD (ours)', 'qad'],
    ] as const
  ).map(
    ([row, method]): PaperRow => ({
      table: 'T4',
      row,
      system: resnet50(method),
      columns: ['NT'],
      quality: 'pooled',
    }),
  ),
  ...(
    [
      ['ResNet18', 'resnet18'],
      ['ResNet34', 'resnet34'],
      ['EfficientNet-B0', 'efficientnet_b0'],
    ] as const
  ).flatMap(([label, backbone]): PaperRow[] =>
    (['ce', 'qad'] as const).map((method) => ({
      table: 'T5',
      row: `${label} ${method === 'qad' ? '✓' : '✗'}`,
      system: { backbone, method, trainQualities: MIXED },
      columns: ALL,
      quality: 'pooled',
    })),
  ),
  { table: 'F3', row: 'α 0, γ 0 (baseline)', system: resnet50('ce'), columns: ['NT'], quality: 'pooled' },
  ...FIGURE3_ALPHAS.flatMap((alpha) =>
    FIGURE3_GAMMAS.map(
      (gamma): PaperRow => ({
        table: 'F3',
        row: `α ${alpha}, γ ${gamma}`,
        system: resnet50('qad'),
        columns: ['NT'],
        quality: 'pooled',
        overrides: { alpha, gamma },
      }),
    ),
  ),
  ...FIGURE4_SIZES.flatMap((inputSize) =>
    (['ce', 'qad'] as const).map(
      (method): PaperRow => ({
        table: 'F4',
        row: `${method === 'qad' ? 'QAD' : 'ResNet-50'} @ ${inputSize}`,
        system: resnet50(method),
        columns: ['NT'],
        quality: 'pooled',
        overrides: { inputSize },
      }),
    ),
  ),
];

/** One number of the paper: a row's value in one column. */
export interface PaperCell {
  table: PaperTable;
  row: string;
  column: string;
}

/** Every cell of {@link PAPER_ROWS}, the implemented ones and the missing ones apart. */
export function paperCells(): { implemented: PaperCell[]; missing: PaperCell[] } {
  const implemented: PaperCell[] = [];
  const missing: PaperCell[] = [];
  for (const r of PAPER_ROWS) {
    for (const column of r.columns) {
      (r.system.method === null ? missing : implemented).push({ table: r.table, row: r.row, column });
    }
  }
  return { implemented, missing };
}
