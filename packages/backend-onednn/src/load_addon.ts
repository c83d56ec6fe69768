import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions the native addon exports; every buffer is used in place, nothing is copied. */
export interface OnednnAddon {
  /** oneDNN's version, e.g. `'2.6.3'`. */
  version(): string;
  /**
   * Whether Exp, Sigmoid, Swish and its gradient run eight lanes at a time (AVX2, where the CPU has it; the
   * same bits as the four-lane path); `on` turns that off or back on (for tests and measurements).
   */
  wideVectors(on?: boolean): boolean;
  /**
   * The instruction set oneDNN dispatches to, e.g. `'avx2'` or `'avx512_core_bf16'`: the CPU's best, capped
   * by `DNNL_MAX_CPU_ISA` / `ONEDNN_MAX_CPU_ISA`. A cap below AVX2 also turns the eight-lane loops off.
   */
  cpuIsa(): string;
  /**
   * Whether every buffer a oneDNN primitive touches is placed against an inaccessible page
   * (`QAD_ONEDNN_GUARD_PAGES=1`, read once): an out-of-bounds access then faults at once. For tests; slow.
   */
  guardPages(): boolean;
  /**
   * NHWC convolution into `out`, with an optional per-channel `bias` and fused activation
   * (0 linear, 1 relu, 2 relu6, 3 leakyrelu with `alpha`, 4 elu, 5 sigmoid). `params` as {@link convParams}.
   */
  conv2dForward(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    out: Float32Array,
    params: number[],
    activation: number,
    alpha: number,
  ): void;
  /** Gradient of the convolution with respect to its input, written into `out` (NHWC). */
  conv2dBackwardData(dy: Float32Array, filter: Float32Array, out: Float32Array, params: number[]): void;
  /** Gradient of the convolution with respect to its filter, written into `out` (HWIO). */
  conv2dBackwardWeights(x: Float32Array, dy: Float32Array, out: Float32Array, params: number[]): void;
  /**
   * Row-major batched matmul, `params = [batchA, batchB, M, K, N, transposeA, transposeB]`, with an
   * optional bias of N values added to every row and a fused activation (codes as in `conv2dForward`).
   */
  matMul(
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | null,
    out: Float32Array,
    params: number[],
    activation: number,
    alpha: number,
  ): void;
  /**
   * `out = a ∘ b` with tfjs broadcasting; `op` is a code of `BINARY_OPS` (add, sub, mul, div,
   * squared difference, maximum, minimum). `out` has the broadcast shape's size.
   */
  binary(
    op: number,
    a: Float32Array,
    aShape: number[],
    b: Float32Array,
    bShape: number[],
    out: Float32Array,
  ): void;
  /** Element-wise `out = f(x)`; `op` is a code of `UNARY_OPS`; `alpha` is Step's and LeakyRelu's parameter. */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  /** `out = Σ inputs`, added left to right. */
  addN(inputs: Float32Array[], out: Float32Array): void;
  /**
   * `out = offset + (x − mean) · scale / √(variance + ε)` with every parameter a vector over `x`'s last axis
   * (or one value; `mean` must have one value per channel).
   */
  batchNormApply(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    offset: Float32Array | null,
    scale: Float32Array | null,
    out: Float32Array,
    epsilon: number,
  ): void;
  /** Copies the box `[begin, begin + size)` of `x` into `out`. */
  slice(x: Float32Array, xShape: number[], begin: number[], size: number[], out: Float32Array): void;
  /** Constant padding; `out` must be zero-filled when `value` is 0. */
  pad(
    x: Float32Array,
    xShape: number[],
    before: number[],
    after: number[],
    value: number,
    out: Float32Array,
  ): void;
  /** Repeats `x` `reps[d]` times along each axis. */
  tile(x: Float32Array, xShape: number[], reps: number[], out: Float32Array): void;
  /** `out`'s axis `d` is `x`'s axis `perm[d]`. */
  transpose(x: Float32Array, xShape: number[], perm: number[], out: Float32Array): void;
  /**
   * Reduces `x` seen as `[outer, reduce, inner]` over its middle axis into `out` (`[outer, inner]`);
   * `op` is a code of `REDUCE_OPS` (sum, mean, max, min).
   */
  reduce(op: number, x: Float32Array, out: Float32Array, dims: [number, number, number]): void;
  /** NHWC max pooling; `params = [N, IH, IW, C, OH, OW, KH, KW, SH, SW, padTop, padLeft]`. */
  maxPool(x: Float32Array, out: Float32Array, params: number[]): void;
  /** Max pooling's input gradient into the zero-filled `out` (`params` as for `maxPool`). */
  maxPoolGrad(dy: Float32Array, x: Float32Array, out: Float32Array, params: number[]): void;
  /**
   * One Adam step in one pass: writes `outW`, `outM`, `outV` from `w`, `g`, `m`, `v`; `params = [β₁, 1 − β₁,
   * β₂, 1 − β₂, lr/(1 − β₁ᵗ), 1 − β₂ᵗ, ε, l2Decay, decoupledFactor]`.
   */
  adamUpdate(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    outW: Float32Array,
    outM: Float32Array,
    outV: Float32Array,
    params: number[],
  ): void;
  /**
   * Training-mode batch norm of `x` seen as `[rows, C]` (`C` = `gamma.length`): writes `y`, the batch `mean`
   * and the biased `variance`.
   */
  batchNormTrainForward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    epsilon: number,
  ): void;
  /** The gradient of `batchNormTrainForward`'s `y` (through the batch statistics): writes `dx`, `dGamma`, `dBeta`. */
  batchNormTrainBackward(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
    epsilon: number,
  ): void;
  /** The oneDNN implementation chosen for each primitive created so far, keyed by its description. */
  implementations(): Record<string, string>;
  /** Drops every cached primitive. */
  clearCache(): void;
}

/** Thrown when the addon is not built or its shared library cannot be loaded. */
export class OnednnUnavailableError extends Error {
  override name = 'OnednnUnavailableError';
}

/** How to make the addon available; quoted by every load error. */
export const ONEDNN_FIX = 'apt-get install -y libdnnl-dev && pnpm --filter @qad/backend-onednn build:native';

/** Where `build:native` (node-gyp, run in `native/` so no package manager builds it on install) puts the addon, relative to the package root. */
const ADDON_FROM_ROOT = 'native/build/Release/onednn_addon.node';

function thisFile(): string {
  // tsup's CJS build has __filename and an empty import.meta; the ESM build and vitest have import.meta.url.
  if (typeof __filename === 'string') return __filename;
  return fileURLToPath(import.meta.url);
}

/** The addon's default location: `src/` and `dist/` both sit directly under the package root. */
export function defaultAddonPath(): string {
  return resolve(dirname(thisFile()), '..', ADDON_FROM_ROOT);
}

let loaded: { path: string; addon: OnednnAddon } | undefined;

/**
 * Loads the native addon (once; later calls return the same object).
 *
 * @param path - the `.node` file; default `QAD_ONEDNN_ADDON` from the environment, else the package's
 *   `build/Release/onednn_addon.node`.
 * @throws {OnednnUnavailableError} naming the missing file or library and the command that fixes it.
 */
export function loadOnednnAddon(path?: string): OnednnAddon {
  const file = resolve(path ?? process.env.QAD_ONEDNN_ADDON ?? defaultAddonPath());
  if (loaded?.path === file) return loaded.addon;
  if (!existsSync(file)) {
    throw new OnednnUnavailableError(
      `@qad/backend-onednn: the native addon is not built (${file} does not exist). ` +
        `Build it with: ${ONEDNN_FIX}`,
    );
  }
  let addon: OnednnAddon;
  try {
    addon = createRequire(thisFile())(file) as OnednnAddon;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const missingLib = /libdnnl/.test(reason);
    throw new OnednnUnavailableError(
      `@qad/backend-onednn: cannot load ${file}: ${reason}. ` +
        (missingLib
          ? 'The oneDNN shared library is missing; install it (apt-get install -y libdnnl2, or libdnnl-dev to build).'
          : `Rebuild it for this Node.js with: ${ONEDNN_FIX}`),
      { cause: error },
    );
  }
  if (
    typeof addon.conv2dForward !== 'function' ||
    typeof addon.matMul !== 'function' ||
    typeof addon.binary !== 'function'
  ) {
    throw new OnednnUnavailableError(
      `@qad/backend-onednn: ${file} is not this package's addon, or an older build of it (no conv2dForward/matMul/binary). Rebuild it with: ${ONEDNN_FIX}`,
    );
  }
  loaded = { path: file, addon };
  return addon;
}
