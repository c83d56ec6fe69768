import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from './register_training_kernels';

/**
 * What {@link selectBackend} can be asked for. `'tensorflow'` is libtensorflow through tfjs-node(-gpu);
 * `'onednn'` is `@qad/backend-onednn` (the system's oneDNN through a native addon).
 */
export type BackendRequest = 'auto' | 'tensorflow' | 'onednn' | 'wasm' | 'cpu';

/** The backend {@link selectBackend} set, and why. */
export interface BackendSelection {
  /** The tfjs backend name now active. */
  backend: 'tensorflow' | 'onednn' | 'wasm' | 'cpu';
  /** The npm package that provides it. */
  package: string;
  /** One line on why this backend was chosen, naming what was tried before it. */
  reason: string;
  /** Kernels registered by this package on the chosen backend (wasm only). */
  trainingKernels: string[];
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * How optional packages are loaded; the default is a dynamic `import()`. Tests and bundlers can pass
   * their own. It must resolve when the package is installed and working, and reject otherwise.
   */
  load?: (packageName: string) => Promise<unknown>;
  /**
   * Where a warning goes when `'auto'` passes over an installed backend that failed its self-test (the
   * onednn addon crashing or computing wrong results on this CPU). Default: `console.warn`.
   */
  warn?: (message: string) => void;
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const ONEDNN_PACKAGE = '@qad/backend-onednn';

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}

async function tryNative(load: (name: string) => Promise<unknown>, tried: string[]): Promise<string | null> {
  for (const name of NATIVE_PACKAGES) {
    try {
      await load(name);
      if (await tf.setBackend('tensorflow')) return name;
      tried.push(`${name} loaded but its 'tensorflow' backend did not initialise`);
    } catch (error) {
      tried.push(`${name} unavailable (${firstLine(error)})`);
    }
  }
  return null;
}

interface OnednnModule {
  registerOnednnBackend?: () => string;
  selfTestOnednnAddon?: () => { ok: boolean; missing?: boolean; reason: string };
}

/** The onednn addon failed its self-test (run in a child process, so a native crash ended only the child). */
class OnednnSelfTestError extends Error {
  override name = 'OnednnSelfTestError';
}

/**
 * Registers and activates `@qad/backend-onednn`'s backend after its addon's self-test (cached per machine
 * and ISA; `QAD_ONEDNN_SELF_TEST=0` skips it); throws what stands in the way.
 */
async function useOnednn(load: (name: string) => Promise<unknown>): Promise<void> {
  const mod = (await load(ONEDNN_PACKAGE)) as OnednnModule | undefined;
  if (typeof mod?.registerOnednnBackend !== 'function') {
    throw new Error(`${ONEDNN_PACKAGE} did not load (no registerOnednnBackend export)`);
  }
  const skip = typeof process !== 'undefined' && process.env?.QAD_ONEDNN_SELF_TEST === '0';
  if (typeof mod.selfTestOnednnAddon === 'function' && !skip) {
    const check = mod.selfTestOnednnAddon();
    // A missing build is not a failed self-test: registerOnednnBackend below says how to build it.
    if (!check.ok && !check.missing) {
      throw new OnednnSelfTestError(`its native addon failed the self-test on this machine: ${check.reason}`);
    }
  }
  // Throws OnednnUnavailableError, naming the fix, when the addon is not built or libdnnl is missing.
  const name = mod.registerOnednnBackend();
  if (!(await tf.setBackend(name))) throw new Error(`the '${name}' backend did not initialise`);
}

async function useWasm(load: (name: string) => Promise<unknown>): Promise<string[]> {
  await load('@tensorflow/tfjs-backend-wasm');
  const kernels = registerWasmTrainingKernels('wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error("the 'wasm' backend did not initialise");
  return kernels;
}

/**
 * Picks and activates the tfjs backend for training and inference, and says why.
 *
 * `'auto'` prefers `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node` (optional peers: used when
 * installed, never required), then `@qad/backend-onednn` when installed and its addon is built (another
 * optional peer), then `wasm` with this package's training kernels, then the pure-JS `cpu`.
 * Naming a backend selects it or throws an error that says what is missing and what to do instead.
 *
 * @example
 * ```ts
 * const { backend, reason } = await selectBackend('auto');
 * console.log(`backend ${backend}: ${reason}`);
 * ```
 */
export async function selectBackend(
  request: BackendRequest = 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  const load = options.load ?? ((name: string) => import(name));
  const tried: string[] = [];
  switch (request) {
    case 'tensorflow': {
      const pkg = await tryNative(load, tried);
      if (pkg === null) {
        throw new Error(
          `Backend 'tensorflow' is unavailable: ${tried.join('; ')}. Install @tensorflow/tfjs-node-gpu or ` +
            `@tensorflow/tfjs-node (their install downloads libtensorflow), or choose 'wasm' or 'cpu'.`,
        );
      }
      return { backend: 'tensorflow', package: pkg, reason: `requested; using ${pkg}`, trainingKernels: [] };
    }
    case 'onednn': {
      try {
        await useOnednn(load);
      } catch (error) {
        const fix =
          error instanceof OnednnSelfTestError
            ? `Choose 'wasm' or 'cpu', try a lower instruction-set cap (DNNL_MAX_CPU_ISA=AVX2), or set QAD_ONEDNN_SELF_TEST=0 to use it anyway.`
            : `Install ${ONEDNN_PACKAGE} (and libdnnl-dev), or choose 'wasm' or 'cpu'.`;
        throw new Error(`Backend 'onednn' is unavailable: ${firstLine(error)}. ${fix}`);
      }
      return onednnSelection('requested');
    }
    case 'wasm': {
      try {
        const kernels = await useWasm(load);
        return wasmSelection(kernels, 'requested');
      } catch (error) {
        throw new Error(
          `Backend 'wasm' is unavailable: ${firstLine(error)}. Reinstall @tensorflow/tfjs-backend-wasm or choose 'cpu'.`,
        );
      }
    }
    case 'cpu':
      return useCpu(load, 'requested (pure JavaScript: the slowest backend, for reference and debugging)');
    case 'auto': {
      const pkg = await tryNative(load, tried);
      if (pkg !== null) {
        return {
          backend: 'tensorflow',
          package: pkg,
          reason: `auto: ${pkg} is installed`,
          trainingKernels: [],
        };
      }
      try {
        await useOnednn(load);
        return onednnSelection(`auto: ${tried.join('; ')}`);
      } catch (error) {
        tried.push(`${ONEDNN_PACKAGE} unavailable (${firstLine(error)})`);
        if (error instanceof OnednnSelfTestError) {
          (options.warn ?? console.warn)(
            `@qad/backend: not using ${ONEDNN_PACKAGE}: ${error.message}. Falling back to the slower ` +
              'wasm backend. A lower instruction-set cap (DNNL_MAX_CPU_ISA=AVX2) may avoid the fault; please ' +
              'report it with your CPU model.',
          );
        }
      }
      try {
        const kernels = await useWasm(load);
        return wasmSelection(kernels, `auto: ${tried.join('; ')}`);
      } catch (error) {
        tried.push(`@tensorflow/tfjs-backend-wasm unavailable (${firstLine(error)})`);
      }
      return useCpu(load, `auto: ${tried.join('; ')}; falling back to the pure-JavaScript cpu backend`);
    }
    default:
      throw new Error(
        `Unknown backend '${String(request)}': expected 'auto', 'tensorflow', 'onednn', 'wasm' or 'cpu'.`,
      );
  }
}

async function useCpu(load: (name: string) => Promise<unknown>, reason: string): Promise<BackendSelection> {
  await load('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error("Backend 'cpu' did not initialise.");
  return { backend: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason, trainingKernels: [] };
}

function onednnSelection(why: string): BackendSelection {
  return {
    backend: 'onednn',
    package: ONEDNN_PACKAGE,
    reason: `${why}; using onednn (oneDNN convolutions and matmuls, native element-wise kernels, all cores)`,
    trainingKernels: [],
  };
}

function wasmSelection(kernels: string[], why: string): BackendSelection {
  return {
    backend: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    reason: `${why}; using wasm (XNNPACK, SIMD, one thread) with @qad/backend's training kernels`,
    trainingKernels: kernels,
  };
}
