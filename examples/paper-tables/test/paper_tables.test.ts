import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandEnvironment, parseConfig } from '@qad/cli';
import type { Evaluation } from '@qad/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configYaml } from '../src/config_yaml';
import { paperExperiments } from '../src/experiments';
import { PAPER_ROWS, type PaperCell, paperCells } from '../src/paper_rows';
import { cellScore, runTables, tableMarkdown } from '../src/run_tables';

const configs = join(import.meta.dirname, '..', 'configs');
const smokeDir = mkdtempSync(join(tmpdir(), 'qad-paper-tables-'));
afterAll(() => rmSync(smokeDir, { recursive: true, force: true }));

const env = { FFPP_ROOT: '/d/ffpp', CELEBDF_ROOT: '/d/cdf', FFIW_ROOT: '/d/ffiw', WEIGHTS_DIR: '/w' };
const cellKey = (c: PaperCell) => `${c.table} | ${c.row} | ${c.column}`;

describe('paper-tables configurations against the paper’s own row list', () => {
  const experiments = paperExperiments();

  it('the generated runs fill exactly the implemented cells of the paper, each once, and none of the missing ones', () => {
    const { implemented, missing } = paperCells();
    const generated = experiments.flatMap((e) => e.cells.map(cellKey));
    expect(new Set(generated).size).toBe(generated.length);
    expect([...generated].sort()).toEqual(implemented.map(cellKey).sort());
    for (const c of missing) expect(generated).not.toContain(cellKey(c));
  });

  it('each run trains the system its cells name, on the qualities and at the settings the paper says', () => {
    const rowOf = new Map(PAPER_ROWS.map((r) => [`${r.table} | ${r.row}`, r]));
    for (const e of experiments) {
      for (const c of e.cells) {
        const r = rowOf.get(`${c.table} | ${c.row}`)!;
        const at = `${e.id} → ${cellKey(c)}`;
        expect(e.config.model.backbone, at).toBe(r.system.backbone);
        expect(e.config.train.method, at).toBe(r.system.method);
        expect(e.config.data.qualities, at).toEqual([...r.system.trainQualities]);
        if (r.overrides?.alpha !== undefined) expect(e.config.train.alpha, at).toBe(r.overrides.alpha);
        if (r.overrides?.gamma !== undefined) expect(e.config.train.gamma, at).toBe(r.overrides.gamma);
        const size = r.overrides?.inputSize;
        if (size !== undefined && size !== 224) expect(e.config.model.inputSize, at).toBe(size);
        // One model per data set: FF++ runs name their one manipulation method.
        if (e.config.data.format === 'ffpp') expect(e.config.data.methods, at).toHaveLength(1);
      }
    }
  });

  it('has one committed, schema-valid YAML file per run and no other, identical to what src/experiments.ts generates', () => {
    const files = readdirSync(configs).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(experiments.map((e) => `${e.id}.yaml`).sort());
    for (const e of experiments) {
      const text = readFileSync(join(configs, `${e.id}.yaml`), 'utf8');
      expect(text).toBe(configYaml(e));
      const config = parseConfig(expandEnvironment(parse(text), e.id, env), e.id);
      expect(config.name).toBe(e.id);
    }
  });

  it('a cell removed from or added to the generator breaks the agreement', () => {
    const { implemented } = paperCells();
    const fewer = experiments.slice(1).flatMap((e) => e.cells.map(cellKey));
    expect(fewer.sort()).not.toEqual(implemented.map(cellKey).sort());
    const extra = [...experiments.flatMap((e) => e.cells.map(cellKey)), 'T1 | ResNet-50 | NT'];
    expect(extra.sort()).not.toEqual(implemented.map(cellKey).sort());
  });
});

/** An evaluation whose AUCs are given per quality and pooled. */
function evaluation(auc: Record<string, number>, pooled: number): Evaluation {
  const q = (v: number) => ({
    frames: 1,
    videos: 1,
    auc: v,
    accuracy: v / 2,
    balancedAccuracy: v,
    threshold: 0.5,
  });
  return {
    perQuality: Object.fromEntries(Object.entries(auc).map(([k, v]) => [k, q(v)])),
    average: { auc: 0, accuracy: 0, balancedAccuracy: 0 },
    pooled: { auc: pooled, accuracy: 0.25 },
  } as Evaluation;
}

describe('table assembly', () => {
  it('scores pooled, per quality and as the mean of raw/c23/c40 (hand-computed)', () => {
    const e = evaluation({ raw: 0.9, c23: 0.8, c40: 0.4, jpeg: 0.7 }, 0.75);
    expect(cellScore(e, 'pooled', 'auc')).toBe(0.75);
    expect(cellScore(e, 'jpeg', 'auc')).toBe(0.7);
    expect(cellScore(e, 'mean', 'auc')).toBeCloseTo(0.7, 12);
    expect(cellScore(e, 'pooled', 'accuracy')).toBe(0.25);
    expect(cellScore(evaluation({ raw: 0.9 }, 0.5), 'mean', 'auc')).toBeUndefined();
  });

  it("prints the paper's orientation: data sets as columns, Avg over the row's columns, n/i and – where due", () => {
    const rows = PAPER_ROWS.filter((r) => r.table === 'T3');
    const md = tableMarkdown('T3', rows, (r, column) =>
      r.row === 'QAD-R' && (column === 'NT' || column === 'DF')
        ? evaluation({ raw: 1, c23: 0.5, c40: 0.6 }, 0)
        : undefined,
    );
    expect(md).toContain('| row | NT | DF | F2F | FS | FSH | CDFv2 | FFIW10K | Avg |');
    // BZNet has no FSH / CDFv2 / FFIW10K number in the paper, and no implementation here.
    expect(md).toContain('| BZNet [×3] | n/i | n/i | n/i | n/i | – | – | – | n/i |');
    // QAD-R: mean of 100, 50, 60 = 70 where run, not run elsewhere, so no average.
    expect(md).toContain('| QAD-R | 70.00 | 70.00 | · | · | · | · | · | · |');
    expect(md).toContain('#### AUC on the c23 test set only');
    expect(md.split('\n')).toContain('| QAD-R | 50.00 | 50.00 | · | · | · | · | · | · |');
  });
});

describe('smoke runs (generated benchmark)', () => {
  it('runs every distinct configuration end to end and assembles every table and figure', async () => {
    const logs: string[] = [];
    const result = await runTables({
      tables: ['T1', 'T2', 'T3', 'T4', 'T5', 'F3', 'F4'],
      smoke: true,
      smokeDir,
      configsDir: configs,
      log: (line) => logs.push(line),
    });
    const runs = logs.filter((l) => / done in \d+ s$/.test(l)).length;
    const reused = logs.filter((l) => /its evaluation reused$/.test(l)).length;
    expect(runs + reused).toBe(paperExperiments().length);
    // Data sets and input sizes collapse on the one benchmark at 32 px: what stays distinct is the system, the
    // method and α/γ — 4 (Table 1) + 2 (Table 3) + 7 (Table 4) + 6 (Table 5) + 12 (Figure 3).
    expect(runs).toBe(31);
    for (const e of paperExperiments()) {
      expect(Object.keys(result.evaluations[e.id]!.perQuality).sort()).toEqual(['c23', 'c40', 'jpeg', 'raw']);
    }
    expect(result.markdown.T1).toMatch(/\| MesoNet \| \d+\.\d\d \|/);
    expect(result.markdown.T1).toContain('| F3Net | n/i |');
    expect(result.markdown.T2).toMatch(/\| Rössler et al\. \| \d+\.\d\d \|/);
    expect(result.markdown.T3).toMatch(/\| EfficientNet-B1 \[×3\] \| \d+\.\d\d \|/);
    expect(result.markdown.T4).toMatch(/\| Pairwise loss \| \d+\.\d\d \| \d+\.\d\d \|/);
    expect(result.markdown.T5).toMatch(/\| EfficientNet-B0 ✓ \| \d+\.\d\d \|/);
    expect(result.markdown.F3).toMatch(/\| α 0\.008, γ 0\.004 \| \d+\.\d\d \|/);
    expect(result.markdown.F4).toMatch(/\| QAD @ 336 \| \d+\.\d\d \|/);
  }, 1_500_000);
});
