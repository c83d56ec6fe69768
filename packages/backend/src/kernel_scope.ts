import * as tf from '@tensorflow/tfjs-core';

/** The part of a tfjs backend that composed kernels touch: freeing intermediate results. */
export interface DisposingBackend extends tf.KernelBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

type Attrs = tf.NamedAttrMap;

/**
 * Runs other kernels of one backend directly — not through the engine, so nothing is recorded on a gradient
 * tape or counted as a tensor — and frees every intermediate result except the one kept. This is how a
 * kernel is built from other kernels of the same backend (the way tfjs's own composite kernels are).
 */
export class KernelScope {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(
    private readonly backend: DisposingBackend,
    private readonly backendName: string,
  ) {}

  /** Runs kernel `name` on this backend; the result is freed by {@link KernelScope.dispose} unless kept. */
  run(name: string, inputs: tf.NamedTensorInfoMap | tf.TensorInfo[], attrs: Attrs = {}): tf.TensorInfo {
    const config = tf.getKernel(name, this.backendName);
    if (config === undefined) {
      throw new Error(`Kernel '${name}' is not registered for backend '${this.backendName}'.`);
    }
    const out = config.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: this.backend,
      attrs,
    }) as tf.TensorInfo;
    this.temporaries.push(out);
    return out;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  pad(x: tf.TensorInfo, paddings: Array<[number, number]>): tf.TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** `x[begin : begin + (size − 1)·step + 1 : step]` per axis. */
  stridedSlice(x: tf.TensorInfo, begin: number[], size: number[], steps: number[]): tf.TensorInfo {
    if (steps.every((s) => s === 1)) {
      if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
      return this.run('Slice', { x }, { begin, size });
    }
    const end = begin.map((b, i) => b + (size[i]! - 1) * steps[i]! + 1);
    return this.run(
      'StridedSlice',
      { x },
      {
        begin,
        end,
        strides: steps,
        beginMask: 0,
        endMask: 0,
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: 0,
      },
    );
  }

  /** `a [m, k] · b [k, n]`, both row-major and untransposed: the layout XNNPACK's GEMM runs fastest on. */
  matMul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    const [m, k] = a.shape as [number, number];
    const n = b.shape[1]!;
    const out = this.run(
      'BatchMatMul',
      { a: this.reshape(a, [1, m, k]), b: this.reshape(b, [1, k, n]) },
      { transposeA: false, transposeB: false },
    );
    return this.reshape(out, [m, n]);
  }

  /**
   * Spreads `x [N, H, W, C]` onto a grid `stride` times finer, zeros between: `out[n, s·i, s·j, c] = x[n, i, j, c]`,
   * shape `[N, (H−1)·s + 1, (W−1)·s + 1, C]`. The gradient of a strided convolution is a stride-1 one on this.
   */
  dilateSpatially(x: tf.TensorInfo, strideHeight: number, strideWidth: number): tf.TensorInfo {
    if (strideHeight === 1 && strideWidth === 1) return x;
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const spread = this.pad(this.reshape(x, [n, h, 1, w, 1, c]), [
      [0, 0],
      [0, 0],
      [0, strideHeight - 1],
      [0, 0],
      [0, strideWidth - 1],
      [0, 0],
    ]);
    const grid = this.reshape(spread, [n, h * strideHeight, w * strideWidth, c]);
    return this.stridedSlice(
      grid,
      [0, 0, 0, 0],
      [n, (h - 1) * strideHeight + 1, (w - 1) * strideWidth + 1, c],
      [1, 1, 1, 1],
    );
  }

  /** Takes ownership of a result made outside {@link KernelScope.run}, freeing it with the intermediates. */
  adopt(x: tf.TensorInfo): tf.TensorInfo {
    this.temporaries.push(x);
    return x;
  }

  /** Whether `x` was produced in this scope (rather than passed in). */
  owns(x: tf.TensorInfo): boolean {
    return this.temporaries.includes(x);
  }

  /** Removes `x` from the intermediates, so that it survives {@link KernelScope.dispose}; returns it. */
  keep(x: tf.TensorInfo): tf.TensorInfo {
    for (let i = this.temporaries.length - 1; i >= 0; i--) {
      if (this.temporaries[i] === x) this.temporaries.splice(i, 1);
    }
    return x;
  }

  /** Frees every intermediate result that was not kept. */
  dispose(): void {
    for (const t of this.temporaries) this.backend.disposeData(t.dataId);
    this.temporaries.length = 0;
  }
}

/** Runs `body` with a fresh {@link KernelScope}, keeps what it returns and frees everything else. */
export function composeKernel(
  backend: tf.KernelBackend,
  backendName: string,
  body: (scope: KernelScope) => tf.TensorInfo,
): tf.TensorInfo {
  const scope = new KernelScope(backend as DisposingBackend, backendName);
  try {
    const result = body(scope);
    // An input handed straight back would share its buffer with the output; the engine needs a fresh one.
    return scope.keep(scope.owns(result) ? result : scope.run('Identity', { x: result }));
  } finally {
    scope.dispose();
  }
}

/** Reads a named kernel input, with an error naming the kernel when it is missing. */
export function requireInput(inputs: tf.NamedTensorInfoMap, name: string, kernelName: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`Kernel '${kernelName}' needs input '${name}'.`);
  return t;
}
