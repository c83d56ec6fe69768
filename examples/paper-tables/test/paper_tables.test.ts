import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandEnvironment, parseConfig } from '@qad/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configYaml } from '../src/config_yaml';
import { paperExperiments } from '../src/experiments';
import { runTables } from '../src/run_tables';

const configs = join(import.meta.dirname, '..', 'configs');
const smokeDir = mkdtempSync(join(tmpdir(), 'qad-paper-tables-'));
afterAll(() => rmSync(smokeDir, { recursive: true, force: true }));

const env = { FFPP_ROOT: '/d/ffpp', CELEBDF_ROOT: '/d/cdf', FFIW_ROOT: '/d/ffiw', WEIGHTS_DIR: '/w' };

describe('paper-tables configurations', () => {
  const experiments = paperExperiments();

  it('has one committed, schema-valid YAML file per experiment, identical to what src/experiments.ts generates', () => {
    expect(experiments.length).toBe(46);
    for (const e of experiments) {
      const text = readFileSync(join(configs, `${e.id}.yaml`), 'utf8');
      expect(text).toBe(configYaml(e));
      const config = parseConfig(expandEnvironment(parse(text), e.id, env), e.id);
      expect(config.name).toBe(e.id);
    }
  });

  it('covers the tables: 7 data sets × 2 backbones × {CE, QAD}, quality-aware vs QAD, 8 loss variants, 3 more backbones', () => {
    const count = (t: number) => experiments.filter((e) => e.table === t).length;
    expect([count(1), count(3), count(4), count(5)]).toEqual([28, 4, 8, 6]);
    expect(new Set(experiments.map((e) => e.config.train.method))).toEqual(
      new Set([
        'ce',
        'qad',
        'quality-aware',
        'soft-label+awp-xe',
        'pairwise+awp-xe',
        'center+awp-xe',
        'hsic',
        'awp-xe',
        'hsic+awp-kl',
      ]),
    );
  });

  it('runs every distinct experiment end to end in --smoke mode on the generated benchmark and assembles Tables 1–5', async () => {
    const logs: string[] = [];
    const result = await runTables({
      tables: [1, 3, 4, 5],
      smoke: true,
      smokeDir,
      configsDir: configs,
      log: (line) => logs.push(line),
    });
    // On the one generated benchmark the data-set columns collapse: 18 distinct runs stand for 46 rows.
    expect(logs.filter((l) => / done in \d+ s$/.test(l)).length).toBe(18);
    expect(logs.filter((l) => /its evaluation reused$/.test(l)).length).toBe(28);
    for (const e of experiments) {
      expect(Object.keys(result.evaluations[e.id]!.perQuality).sort()).toEqual(['c23', 'c40', 'jpeg', 'raw']);
    }
    expect(result.markdown[1]).toContain('| DF QAD-R |');
    expect(result.markdown[2]).toContain('### Table 2: random JPEG');
    expect(result.markdown[3]).toContain('| ResNet-50 [×3] |');
    expect(result.markdown[4]).toContain('| Pairwise + AWP-XE |');
    expect(result.markdown[5]).toContain('| EfficientNet-B0 QAD |');
  }, 1_200_000);
});
