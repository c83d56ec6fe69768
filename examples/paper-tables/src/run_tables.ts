import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeBenchmark } from '@qad/benchmark';
import { loadConfig, resolveExperiment, runExperiment } from '@qad/cli';
import type { Evaluation } from '@qad/trainer';
import { type PaperExperiment, paperExperiments } from './experiments';
import { DATASETS, PAPER_ROWS, type PaperRow, type PaperTable } from './paper_rows';
import { smokeConfig } from './smoke';

/** Options of {@link runTables}. */
export interface RunTablesOptions {
  /** Tables and figures to run and assemble (`T1`…`T5`, `F3`, `F4`). */
  tables: readonly PaperTable[];
  /** Run on the generated benchmark with tiny settings instead of the real data. */
  smoke: boolean;
  /** Working folder of the smoke runs (benchmark, crops, outputs). */
  smokeDir: string;
  /** Only these experiment ids (default: every experiment of the tables). */
  only?: readonly string[];
  configsDir: string;
  log: (line: string) => void;
}

/** What {@link runTables} returns. */
export interface TablesResult {
  evaluations: Record<string, Evaluation>;
  /** Markdown of each table: the paper's layout (data sets as columns), then one table per test quality. */
  markdown: Partial<Record<PaperTable, string>>;
}

const TITLES: Record<PaperTable, string> = {
  T1: 'Table 1: quality-agnostic, video compression (raw + c23 + c40 of the test set pooled), AUC (%)',
  T2: 'Table 2: quality-agnostic, random JPEG on the raw test set, AUC (%)',
  T3: 'Table 3: quality-aware baselines vs one QAD model, mean of the raw, c23 and c40 AUCs (%)',
  T4: 'Table 4: ResNet-50 with other losses, NeuralTextures, raw + c23 + c40 pooled (%)',
  T5: 'Table 5: other backbones, raw + c23 + c40 pooled, AUC (%)',
  F3: 'Figure 3: α × γ of QAD-R on NeuralTextures, raw + c23 + c40 pooled, AUC (%)',
  F4: 'Figure 4: input size, ResNet-50 and QAD on NeuralTextures, raw + c23 + c40 pooled, AUC (%)',
};

const key = (table: string, row: string, column: string) => `${table}|${row}|${column}`;

/**
 * Runs the experiments behind the chosen tables (for real from configs/*.yaml, or in smoke mode on a generated
 * benchmark) and assembles each in the paper's layout, plus per test quality.
 */
export async function runTables(options: RunTablesOptions): Promise<TablesResult> {
  const experiments = paperExperiments().filter(
    (e) =>
      e.cells.some((c) => options.tables.includes(c.table)) &&
      (options.only === undefined || options.only.includes(e.id)),
  );
  if (experiments.length === 0) throw new Error(`No experiment in ${options.tables.join(', ')}.`);
  let benchmark = '';
  if (options.smoke) {
    benchmark = join(options.smokeDir, 'benchmark');
    if (!existsSync(join(benchmark, 'benchmark.json'))) {
      await makeBenchmark({
        outDir: benchmark,
        size: { train: 2, val: 1, test: 1 },
        frames: 4,
        resolution: 64,
        seed: 0,
      });
    }
  }
  const evaluations: Record<string, Evaluation> = {};
  // In smoke mode every data set is the one generated benchmark and every input 32 px, so experiments that
  // differ only in their data set or input size have identical smoke configurations: each distinct one runs
  // once and its evaluation fills every cell it stands for.
  const smokeRuns = new Map<string, Evaluation>();
  for (const [i, e] of experiments.entries()) {
    const config = options.smoke
      ? smokeConfig(e.config, benchmark, options.smokeDir)
      : resolveExperiment(loadConfig(join(options.configsDir, `${e.id}.yaml`)));
    const smokeKey = options.smoke ? withoutNameAndOutput(config) : '';
    const done = smokeRuns.get(smokeKey);
    if (done) {
      evaluations[e.id] = done;
      options.log(`${e.id}: same smoke configuration as an earlier run, its evaluation reused`);
      continue;
    }
    const started = Date.now();
    options.log(`[${i + 1}/${experiments.length}] ${e.id}: training`);
    const result = await runExperiment(config, { log: options.smoke ? () => {} : options.log });
    evaluations[e.id] = result.evaluation;
    if (options.smoke) smokeRuns.set(smokeKey, result.evaluation);
    options.log(`${e.id}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const byCell = new Map<string, PaperExperiment>();
  for (const e of experiments) for (const c of e.cells) byCell.set(key(c.table, c.row, c.column), e);
  const markdown: Partial<Record<PaperTable, string>> = {};
  for (const table of options.tables) {
    markdown[table] = tableMarkdown(
      table,
      PAPER_ROWS.filter((r) => r.table === table),
      (r, column) => {
        const e = byCell.get(key(r.table, r.row, column));
        return e === undefined ? undefined : evaluations[e.id];
      },
    );
  }
  return { evaluations, markdown };
}

/** A smoke configuration without its own name and output folder: equal keys train and evaluate identically. */
function withoutNameAndOutput(config: { name: string; output: string }): string {
  const { name: _name, output: _output, ...rest } = config;
  return JSON.stringify(rest);
}

type Metric = 'auc' | 'accuracy';
type Scored = 'pooled' | 'raw' | 'c23' | 'c40' | 'jpeg' | 'mean';

/** The score a cell reports, from its run's evaluation; `undefined` when the run has none. */
export function cellScore(evaluation: Evaluation, scored: Scored, metric: Metric): number | undefined {
  if (scored === 'pooled') return evaluation.pooled[metric];
  if (scored === 'mean') {
    const values = (['raw', 'c23', 'c40'] as const).map((q) => evaluation.perQuality[q]?.[metric]);
    if (values.some((v) => v === undefined)) return undefined;
    return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
  }
  return evaluation.perQuality[scored]?.[metric];
}

const percent = (v: number | undefined) => (v === undefined ? '·' : (100 * v).toFixed(2));

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * One table in the paper's orientation (rows as the paper prints them, data sets as columns, Avg over the
 * columns the row has; `n/i`: a system this project does not implement; `–`: no number in the paper; `·`: not
 * run), then the same per test quality. Single-column tables (Table 4, the figures) list every quality side by
 * side instead.
 */
export function tableMarkdown(
  table: PaperTable,
  rows: readonly PaperRow[],
  evaluationOf: (r: PaperRow, column: string) => Evaluation | undefined,
): string {
  const single = rows.every((r) => r.columns.length === 1 && r.columns[0] === 'NT');
  const out: string[] = [`### ${TITLES[table]}`, ''];
  if (single) {
    const metrics: Metric[] = table === 'T4' ? ['accuracy', 'auc'] : ['auc'];
    const qualities: Scored[] = ['raw', 'c23', 'c40', 'jpeg'];
    out.push(
      row([
        'row',
        ...metrics.map((m) => `${m === 'auc' ? 'AUC' : 'ACC'} (NT)`),
        ...qualities.map((q) => `AUC ${q}`),
      ]),
      row(Array(1 + metrics.length + qualities.length).fill('---')),
    );
    for (const r of rows) {
      const e = evaluationOf(r, 'NT');
      if (r.system.method === null) {
        out.push(row([r.row, ...Array(metrics.length + qualities.length).fill('n/i')]));
        continue;
      }
      out.push(
        row([
          r.row,
          ...metrics.map((m) => percent(e && cellScore(e, 'pooled', m))),
          ...qualities.map((q) => percent(e && cellScore(e, q, 'auc'))),
        ]),
      );
    }
    return `${out.join('\n')}\n`;
  }
  const grid = (title: string | null, scored: (r: PaperRow) => Scored) => {
    if (title !== null) out.push('', `#### ${title}`, '');
    out.push(row(['row', ...DATASETS, 'Avg']), row(Array(DATASETS.length + 2).fill('---')));
    for (const r of rows) {
      const values = DATASETS.map((d): { text: string; value?: number } => {
        if (!r.columns.includes(d)) return { text: '–' };
        if (r.system.method === null) return { text: 'n/i' };
        const e = evaluationOf(r, d);
        const v = e && cellScore(e, scored(r), 'auc');
        return v === undefined ? { text: '·' } : { text: percent(v), value: v };
      });
      const scoredValues = values.flatMap((v) => (v.value === undefined ? [] : [v.value]));
      const complete = scoredValues.length === r.columns.length && scoredValues.length > 0;
      const avg = complete ? percent(scoredValues.reduce((a, b) => a + b, 0) / scoredValues.length) : '·';
      out.push(row([r.row, ...values.map((v) => v.text), r.system.method === null ? 'n/i' : avg]));
    }
  };
  // A cell's test frames name the score directly (pooled, jpeg, mean).
  grid(null, (r) => r.quality);
  if (table !== 'T2') {
    for (const q of ['raw', 'c23', 'c40'] as const) grid(`AUC on the ${q} test set only`, () => q);
  }
  return `${out.join('\n')}\n`;
}
