import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAddonPath, selfTestOnednnAddon } from '../src';

const cacheDir = mkdtempSync(join(tmpdir(), 'qad-self-test-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('selfTestOnednnAddon', () => {
  it('passes on this machine, names the ISA and caches the result per machine', () => {
    const first = selfTestOnednnAddon({ cacheDir });
    expect(first.ok, first.reason).toBe(true);
    expect(first.cached).toBe(false);
    expect(first.reason).toMatch(/^self-test passed on [a-z0-9_]+ \(oneDNN \d+\.\d+\.\d+\)$/);
    expect(first.isa).toBeTruthy();
    expect(first.implementations!.length).toBeGreaterThan(0);
    expect(first.cacheFile).toBeDefined();
    expect(JSON.parse(readFileSync(first.cacheFile!, 'utf8'))).toMatchObject({ ok: true, isa: first.isa });
    const second = selfTestOnednnAddon({ cacheDir });
    expect(second).toMatchObject({ ok: true, cached: true, isa: first.isa, cacheFile: first.cacheFile });
  });

  it('a different ISA cap is a different cache entry', () => {
    const before = readdirSync(cacheDir).length;
    const saved = process.env.DNNL_MAX_CPU_ISA;
    // Whatever cap this run has (CI may set one), take another.
    const other = saved === 'SSE41' ? 'AVX2' : 'SSE41';
    process.env.DNNL_MAX_CPU_ISA = other;
    try {
      const capped = selfTestOnednnAddon({ cacheDir });
      expect(capped).toMatchObject({ ok: true, cached: false });
      const above = other === 'SSE41' ? /avx/ : /avx512/;
      expect(capped.implementations!.some((name) => above.test(name))).toBe(false);
      if (other === 'SSE41') expect(capped.isa).toBe('sse41');
    } finally {
      if (saved === undefined) delete process.env.DNNL_MAX_CPU_ISA;
      else process.env.DNNL_MAX_CPU_ISA = saved;
    }
    expect(readdirSync(cacheDir).length).toBe(before + 1);
  });

  it('reports a native crash as a failure instead of dying, and remembers it', () => {
    const r = selfTestOnednnAddon({ cacheDir, inject: 'crash' });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('the self-test crashed with SIGSEGV inside the native addon');
    expect(selfTestOnednnAddon({ cacheDir, inject: 'crash' })).toMatchObject({ ok: false, cached: true });
  });

  it('reports a wrong result naming the kernel and the error', () => {
    const r = selfTestOnednnAddon({ cacheDir: null, inject: 'wrong' });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^conv2dForward 7x7\/2 3→16 on 2×16×16: relative error .* against float64/);
    expect(r.cacheFile).toBeUndefined();
  });

  it('gives up on a hung child after the timeout and does not cache it', () => {
    const r = selfTestOnednnAddon({ cacheDir, inject: 'hang', timeoutMs: 3000 });
    expect(r).toMatchObject({ ok: false, reason: 'the self-test did not finish within 3000 ms' });
    expect(r.cacheFile).toBeUndefined();
  });

  it('a missing addon is a failure that names the file', () => {
    const missing = join(cacheDir, 'nope', 'onednn_addon.node');
    expect(selfTestOnednnAddon({ addonPath: missing, cacheDir: null })).toEqual({
      ok: false,
      missing: true,
      cached: false,
      reason: `the addon is not built (${missing} does not exist)`,
    });
    expect(existsSync(defaultAddonPath())).toBe(true);
  });
});
