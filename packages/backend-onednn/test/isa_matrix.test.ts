import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Every instruction set oneDNN may dispatch to, whatever CPU runs CI: the parity and N-step training suites
// run again in child processes under each DNNL_MAX_CPU_ISA cap, with guard pages on
// (QAD_ONEDNN_GUARD_PAGES=1), so that an out-of-bounds access in a JIT kernel faults at once instead of
// corrupting memory now and then. A cap above what the CPU has means its best (oneDNN ignores the rest).

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const SUITES = ['test/parity.test.ts', 'test/native_loops_parity.test.ts', 'test/training.test.ts'];
const cpuFlags = new Set(
  (/^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(/\s+/),
);
const work = mkdtempSync(join(tmpdir(), 'qad-isa-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface FileReport {
  isa: string;
  wideVectors: boolean;
  guardPages: boolean;
  implementations: string[];
}

/** Runs a child process to its end without blocking this worker's event loop (vitest talks to it). */
function runChild(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ stdout: string; stderr: string; status: number | null; signal: string | null }>(
    (done, fail) => {
      const child = spawn(process.execPath, args, { cwd: packageDir, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout = (stdout + d).slice(-20_000);
      });
      child.stderr.on('data', (d) => {
        stderr = (stderr + d).slice(-20_000);
      });
      child.on('error', fail);
      child.on('close', (status, signal) => done({ stdout, stderr, status, signal }));
    },
  );
}

async function runSuitesUnder(cap: string | undefined) {
  const tag = cap ?? 'best';
  const results = join(work, `${tag}.json`);
  const report = join(work, `${tag}.jsonl`);
  const env: NodeJS.ProcessEnv = { ...process.env, QAD_ONEDNN_GUARD_PAGES: '1', QAD_ISA_REPORT: report };
  delete env.ONEDNN_MAX_CPU_ISA;
  if (cap) env.DNNL_MAX_CPU_ISA = cap;
  else delete env.DNNL_MAX_CPU_ISA;
  const child = await runChild(
    [vitestCli, 'run', ...SUITES, '--reporter=json', `--outputFile=${results}`],
    env,
  );
  const crashed = child.signal ?? (existsSync(results) ? null : `exit ${child.status}`);
  const json = existsSync(results)
    ? (JSON.parse(readFileSync(results, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numTotalTests: number;
      })
    : { numPassedTests: 0, numFailedTests: 0, numTotalTests: 0 };
  const files: FileReport[] = existsSync(report)
    ? readFileSync(report, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as FileReport)
    : [];
  return { tag, child, crashed, json, files };
}

const tally = (names: string[]) => {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([n, c]) => `${n} ×${c}`)
    .join(', ');
};

describe('the onednn suites pass under every instruction-set cap, with guard pages', () => {
  const best = cpuFlags.has('avx512f') ? /^avx512_core/ : cpuFlags.has('avx2') ? /^avx2/ : /^(sse41|avx)$/;
  const cases: Array<{ cap: string | undefined; isa: RegExp; forbidden: RegExp | null; wide: boolean }> = [
    { cap: 'SSE41', isa: /^sse41$/, forbidden: /avx/, wide: false },
    {
      cap: 'AVX2',
      isa: cpuFlags.has('avx2') ? /^avx2$/ : /^(sse41|avx)$/,
      forbidden: /avx512/,
      wide: cpuFlags.has('avx2'),
    },
    {
      cap: 'AVX512_CORE',
      isa: cpuFlags.has('avx512f') ? /^avx512_core$/ : best,
      forbidden: /bf16|vnni|amx/,
      wide: cpuFlags.has('avx2'),
    },
    { cap: undefined, isa: best, forbidden: null, wide: cpuFlags.has('avx2') },
  ];
  it.each(cases.map((c) => [c.cap ?? 'unset (the CPU best)', c] as const))(
    'DNNL_MAX_CPU_ISA=%s',
    async (_, c) => {
      const r = await runSuitesUnder(c.cap);
      const tail = `${r.child.stdout.slice(-3000)}\n${r.child.stderr.slice(-3000)}`;
      expect(r.crashed, `the child vitest died (${r.crashed}):\n${tail}`).toBeNull();
      expect(r.json.numFailedTests, tail).toBe(0);
      expect(r.json.numPassedTests).toBe(r.json.numTotalTests);
      expect(r.json.numPassedTests).toBeGreaterThan(90);
      expect(r.files.length).toBe(SUITES.length);
      const impls = r.files.flatMap((f) => f.implementations);
      for (const f of r.files) {
        expect(f.isa).toMatch(c.isa);
        expect(f.guardPages).toBe(true);
        expect(f.wideVectors).toBe(c.wide);
      }
      if (c.forbidden) expect(impls.filter((n) => c.forbidden!.test(n))).toEqual([]);
      if (c.cap === 'AVX512_CORE' && cpuFlags.has('avx512f'))
        expect(impls.some((n) => /avx512/.test(n))).toBe(true);
      console.log(
        `DNNL_MAX_CPU_ISA=${r.tag}: isa ${r.files[0]!.isa}, ${r.json.numPassedTests}/${r.json.numTotalTests} tests passed ` +
          `under guard pages, eight-lane loops ${r.files[0]!.wideVectors ? 'on' : 'off'}; primitives: ${tally(impls)}`,
      );
    },
    300_000,
  );
});
