import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeBenchmark } from '@qad/benchmark';
import { loadConfig, metricTable, resolveExperiment, runExperiment } from '@qad/cli';
import type { Evaluation } from '@qad/trainer';
import { type PaperExperiment, paperExperiments } from './experiments';
import { smokeConfig } from './smoke';

/** Options of {@link runTables}. */
export interface RunTablesOptions {
  tables: readonly number[];
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
  /** Markdown of each table: AUC per quality (Table 2 = the `jpeg` column of Table 1). */
  markdown: Record<number, string>;
}

/**
 * Runs the experiments of the chosen tables (for real from configs/*.yaml, or in smoke mode on a generated
 * benchmark) and assembles each table in the paper's layout.
 */
export async function runTables(options: RunTablesOptions): Promise<TablesResult> {
  const experiments = paperExperiments().filter(
    (e) => options.tables.includes(e.table) && (options.only === undefined || options.only.includes(e.id)),
  );
  if (experiments.length === 0) throw new Error(`No experiment in tables ${options.tables.join(', ')}.`);
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
  // In smoke mode every data set is the one generated benchmark, so experiments that differ only in their
  // data set (Table 1's seven columns, Tables 3–4's repeats) have identical smoke configurations: each
  // distinct one runs once (46 experiments → 18 runs) and its evaluation fills every row it stands for.
  const smokeRuns = new Map<string, Evaluation>();
  for (const e of experiments) {
    const config = options.smoke
      ? smokeConfig(e.config, benchmark, options.smokeDir)
      : resolveExperiment(loadConfig(join(options.configsDir, `${e.id}.yaml`)));
    const key = options.smoke ? smokeKey(config) : '';
    const done = smokeRuns.get(key);
    if (done) {
      evaluations[e.id] = done;
      options.log(`${e.id}: same smoke configuration as an earlier run, its evaluation reused`);
      continue;
    }
    const started = Date.now();
    const result = await runExperiment(config, { log: options.smoke ? () => {} : options.log });
    evaluations[e.id] = result.evaluation;
    if (options.smoke) smokeRuns.set(key, result.evaluation);
    options.log(`${e.id}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const markdown: Record<number, string> = {};
  for (const table of options.tables) {
    const rows = (t: number): Record<string, Evaluation> =>
      Object.fromEntries(
        experiments
          .filter((e: PaperExperiment) => e.table === t && evaluations[e.id] !== undefined)
          .map((e) => [e.row, evaluations[e.id]!]),
      );
    if (table === 2) continue;
    const auc = metricTable(rows(table), 'auc', ['raw', 'c23', 'c40']).toMarkdown();
    const acc = metricTable(rows(table), 'accuracy', ['raw', 'c23', 'c40']).toMarkdown();
    markdown[table] = `### Table ${table}: AUC (%)\n\n${auc}\n### Table ${table}: ACC (%)\n\n${acc}`;
    if (table === 1) {
      markdown[2] = `### Table 2: random JPEG on the test set, AUC / ACC (%)\n\n${metricTable(rows(1), 'auc', ['jpeg']).toMarkdown()}\n${metricTable(rows(1), 'accuracy', ['jpeg']).toMarkdown()}`;
    }
  }
  return { evaluations, markdown };
}

/** A smoke configuration without its own name and output folder: equal keys train and evaluate identically. */
function smokeKey(config: { name: string; output: string }): string {
  const { name: _name, output: _output, ...rest } = config;
  return JSON.stringify(rest);
}
