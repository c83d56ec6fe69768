import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultAddonPath } from './load_addon';

/** What {@link selfTestOnednnAddon} found. */
export interface AddonSelfTestResult {
  /** True when every check agreed with its float64 reference and nothing crashed. */
  ok: boolean;
  /** True when there is no addon build to test: not a fault of the addon (`registerOnednnBackend` names the fix). */
  missing?: boolean;
  /** True when the result came from the cache (same addon build, CPU, Node and ISA settings). */
  cached: boolean;
  /** One line: what passed (the ISA and oneDNN version) or what failed (a kernel, a signal, a timeout). */
  reason: string;
  /** The instruction set oneDNN dispatched to, e.g. `'avx512_core_bf16'` (when the child got that far). */
  isa?: string;
  /** oneDNN implementations that ran, e.g. `['jit:avx512_core', 'jit_1x1:avx512_core']`. */
  implementations?: string[];
  /** The cache file read or written; absent when caching is off or the directory is not writable. */
  cacheFile?: string;
}

/** Options of {@link selfTestOnednnAddon}. */
export interface AddonSelfTestOptions {
  /** The addon to test; default: `QAD_ONEDNN_ADDON` or this package's build. */
  addonPath?: string;
  /**
   * Where results are cached, one small JSON file per (addon build, CPU, Node, ISA settings); `null` turns
   * caching off. Default: `QAD_CACHE_DIR`, else `$XDG_CACHE_HOME/qad`, else `~/.cache/qad`.
   */
  cacheDir?: string | null;
  /** How long the child may run before it counts as hung (ms). Default 60 000. */
  timeoutMs?: number;
  /**
   * Test hook: make the child fail on purpose — `'crash'` (SIGSEGV after the first convolutions),
   * `'wrong'` (a result off by one), `'hang'` (never returns). Default: `QAD_ONEDNN_SELF_TEST_INJECT`.
   */
  inject?: 'crash' | 'wrong' | 'hang';
}

const CHILD_ENV_KEYS = ['DNNL_MAX_CPU_ISA', 'ONEDNN_MAX_CPU_ISA', 'QAD_ONEDNN_LAYOUT'] as const;

function packageRoot(): string {
  // tsup's CJS build has __filename and an empty import.meta; the ESM build and vitest have import.meta.url.
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  return resolve(dirname(here), '..');
}

/** The default cache directory (see {@link AddonSelfTestOptions.cacheDir}). */
export function defaultCacheDir(): string {
  if (process.env.QAD_CACHE_DIR) return process.env.QAD_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'qad');
}

function cpuDescription(): string {
  // The flags line names every instruction set extension; the model alone does not (VMs mask features).
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const flags = /^flags\s*:\s*(.*)$/m.exec(info)?.[1] ?? '';
    return `${cpus()[0]?.model ?? 'unknown'}|${flags}`;
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

function cacheKey(addon: string, script: string, inject: string): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(addon));
  hash.update(readFileSync(script));
  hash.update(cpuDescription());
  hash.update(`${process.versions.node}|${process.arch}|${inject}`);
  for (const k of CHILD_ENV_KEYS) hash.update(`|${k}=${process.env[k] ?? ''}`);
  return hash.digest('hex').slice(0, 24);
}

function readCache(file: string): AddonSelfTestResult | null {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as AddonSelfTestResult;
    return typeof r.ok === 'boolean' && typeof r.reason === 'string'
      ? { ...r, cached: true, cacheFile: file }
      : null;
  } catch {
    return null;
  }
}

function writeCache(file: string, result: AddonSelfTestResult): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const { cached: _c, cacheFile: _f, ...stored } = result;
    writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`);
    renameSync(tmp, file);
    return true;
  } catch {
    return false; // a read-only home: the test simply runs again next time
  }
}

/**
 * Runs the addon's self-test in a child process — oneDNN's convolutions (forward and both gradients) and
 * matmuls over ResNet/EfficientNet layer shapes, and the addon's own vector loops, each checked against a
 * float64 reference with every native buffer placed against a guard page — so that a native crash or a
 * wrong kernel on this CPU is reported instead of killing the caller. The result is cached per addon
 * build, CPU, Node version and ISA settings (`DNNL_MAX_CPU_ISA`), so this costs ~0.3 s once per machine.
 *
 * `selectBackend('auto')` in `@qad/backend` calls this before choosing onednn and falls back to wasm with a
 * warning when it fails. Never throws.
 *
 * @example
 * ```ts
 * const check = selfTestOnednnAddon();
 * if (!check.ok) console.warn(`onednn unusable here: ${check.reason}`);
 * ```
 */
export function selfTestOnednnAddon(options: AddonSelfTestOptions = {}): AddonSelfTestResult {
  const addon = resolve(options.addonPath ?? process.env.QAD_ONEDNN_ADDON ?? defaultAddonPath());
  const script = join(packageRoot(), 'scripts', 'self-test.mjs');
  const inject = options.inject ?? process.env.QAD_ONEDNN_SELF_TEST_INJECT ?? '';
  if (!existsSync(addon)) {
    return {
      ok: false,
      missing: true,
      cached: false,
      reason: `the addon is not built (${addon} does not exist)`,
    };
  }
  if (!existsSync(script))
    return { ok: false, cached: false, reason: `the self-test script is missing (${script})` };
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const cacheFile =
    cacheDir === null
      ? undefined
      : join(cacheDir, `onednn-self-test-${cacheKey(addon, script, inject)}.json`);
  if (cacheFile) {
    const hit = readCache(cacheFile);
    if (hit) return hit;
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawnSync(process.execPath, [script, addon], {
    env: { ...process.env, QAD_ONEDNN_GUARD_PAGES: '1', QAD_ONEDNN_SELF_TEST_INJECT: inject },
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 20,
  });
  const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const result = timedOut
    ? { ok: false, cached: false, reason: `the self-test did not finish within ${timeoutMs} ms` }
    : interpret(child);
  // A timeout may be a loaded machine rather than a broken addon: it is not remembered.
  if (cacheFile && !timedOut && writeCache(cacheFile, result)) result.cacheFile = cacheFile;
  return result;
}

/** The result of a child that finished (or died) within its time. */
function interpret(child: ReturnType<typeof spawnSync>): AddonSelfTestResult {
  const stdout = String(child.stdout ?? '');
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  let report: { ok?: boolean; reason?: string; isa?: string; version?: string; implementations?: string[] } =
    {};
  try {
    report = JSON.parse(lastLine);
  } catch {
    // a crash before the report: the signal or exit code below says what happened
  }
  if (child.error)
    return { ok: false, cached: false, reason: `the self-test could not run: ${child.error.message}` };
  if (child.signal) {
    return {
      ok: false,
      cached: false,
      reason: `the self-test crashed with ${child.signal} inside the native addon`,
    };
  }
  if (child.status !== 0 || report.ok !== true) {
    const stderr =
      String(child.stderr ?? '')
        .trim()
        .split('\n')[0] ?? '';
    return {
      ok: false,
      cached: false,
      reason: report.reason ?? `the self-test exited with code ${child.status}${stderr ? `: ${stderr}` : ''}`,
    };
  }
  return {
    ok: true,
    cached: false,
    reason: `self-test passed on ${report.isa} (oneDNN ${report.version})`,
    isa: report.isa,
    implementations: report.implementations,
  };
}
