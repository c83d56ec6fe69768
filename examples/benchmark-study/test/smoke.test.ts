import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'qad-study-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('benchmark study --smoke', () => {
  it('runs the whole protocol on a tiny benchmark and writes the tables, the tests and the figures', async () => {
    const results = join(dir, 'results');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/main.ts', '--smoke', '--out', join(dir, 'work'), '--results', results],
        { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] },
      );
      child.on('error', reject);
      child.on('exit', resolve);
    });
    expect(code).toBe(0);
    const study = JSON.parse(readFileSync(join(results, 'study.json'), 'utf8'));
    expect(Object.keys(study.runs)).toEqual(['ce', 'hsic', 'awp-xe', 'qad']);
    expect(study.runs.qad).toHaveLength(2);
    expect(study.comparisons.map((c: { method: string }) => c.method)).toEqual(['hsic', 'awp-xe', 'qad']);
    expect(Object.keys(study.heldOut)).toEqual(['SelfBlend → FaceSwap', 'raw+c23 → c40']);
    const md = readFileSync(join(results, 'study.md'), 'utf8');
    expect(md).toContain('| qad − ce |');
    expect(readFileSync(join(results, 'validation-curves.svg'), 'utf8')).toContain('<svg');
  }, 600_000);
});
