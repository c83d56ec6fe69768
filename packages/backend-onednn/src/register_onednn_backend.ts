import { totalmem } from 'node:os';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { BufferPool } from './buffer_pool';
import { countRoute } from './kernel_routes';
import type { KernelContext } from './kernel_support';
import { ADAM_UPDATE, adamUpdate } from './kernels/adam_update';
import { addN } from './kernels/add_n';
import { batchMatMul } from './kernels/batch_mat_mul';
import {
  BATCH_NORM_TRAIN_BACKWARD,
  BATCH_NORM_TRAIN_FORWARD,
  batchNormTrainBackward,
  batchNormTrainForward,
} from './kernels/batch_norm_training';
import { BINARY_OPS, binaryKernel } from './kernels/binary_ops';
import { conv2d } from './kernels/conv2d';
import { conv2dBackpropFilter } from './kernels/conv2d_backprop_filter';
import { conv2dBackpropInput } from './kernels/conv2d_backprop_input';
import {
  depthwiseConv2d,
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
} from './kernels/depthwise_conv2d';
import { fusedBatchNorm } from './kernels/fused_batch_norm';
import { fusedConv2d } from './kernels/fused_conv2d';
import { fusedMatMul } from './kernels/fused_mat_mul';
import { maxPool, maxPoolGrad } from './kernels/max_pool';
import { padV2 } from './kernels/pad';
import { REDUCE_OPS, reductionKernel } from './kernels/reductions';
import { RELU_GRAD, registerReluGradient, reluGrad } from './kernels/relu_grad';
import { slice } from './kernels/slice';
import { splitV } from './kernels/split_v';
import { SWISH, SWISH_GRAD, swish, swishGrad } from './kernels/swish';
import { tile } from './kernels/tile';
import { transpose } from './kernels/transpose';
import { UNARY_OPS, unaryKernel } from './kernels/unary_ops';
import { loadOnednnAddon, type OnednnAddon } from './load_addon';

type KernelFactory = (ctx: KernelContext) => tf.KernelConfig;

/**
 * Not tfjs kernels: fused steps that other packages look for by name (`@qad/trainer`'s Adam,
 * `@qad/backbones`' batch norm and swish) or that this package's `Relu` gradient runs. There is no cpu
 * kernel of the same name to fall back to.
 */
const PROTOCOL_FACTORIES: Record<string, KernelFactory> = {
  [ADAM_UPDATE]: adamUpdate,
  [BATCH_NORM_TRAIN_FORWARD]: batchNormTrainForward,
  [BATCH_NORM_TRAIN_BACKWARD]: batchNormTrainBackward,
  [RELU_GRAD]: reluGrad,
  [SWISH]: swish,
  [SWISH_GRAD]: swishGrad,
};

const KERNEL_FACTORIES: Record<string, KernelFactory> = {
  // oneDNN primitives
  [tf.Conv2D]: conv2d,
  [tf.Conv2DBackpropInput]: conv2dBackpropInput,
  [tf.Conv2DBackpropFilter]: conv2dBackpropFilter,
  [tf.FusedConv2D]: fusedConv2d,
  [tf.DepthwiseConv2dNative]: depthwiseConv2d,
  [tf.DepthwiseConv2dNativeBackpropInput]: depthwiseConv2dBackpropInput,
  [tf.DepthwiseConv2dNativeBackpropFilter]: depthwiseConv2dBackpropFilter,
  [tf.BatchMatMul]: batchMatMul,
  [tf._FusedMatMul]: fusedMatMul,
  // native loops (OpenMP)
  ...Object.fromEntries(Object.keys(BINARY_OPS).map((k) => [k, binaryKernel(k as keyof typeof BINARY_OPS)])),
  ...Object.fromEntries(Object.keys(UNARY_OPS).map((k) => [k, unaryKernel(k as keyof typeof UNARY_OPS)])),
  ...Object.fromEntries(
    Object.keys(REDUCE_OPS).map((k) => [k, reductionKernel(k as keyof typeof REDUCE_OPS)]),
  ),
  [tf.AddN]: addN,
  [tf.FusedBatchNorm]: fusedBatchNorm,
  [tf.Slice]: slice,
  [tf.SplitV]: splitV,
  [tf.PadV2]: padV2,
  [tf.Tile]: tile,
  [tf.Transpose]: transpose,
  [tf.MaxPool]: maxPool,
  [tf.MaxPoolGrad]: maxPoolGrad,
  ...PROTOCOL_FACTORIES,
};

/**
 * The kernels the oneDNN backend runs natively (convolutions and matmuls as oneDNN primitives; element-wise,
 * reduction, layout, batch-norm and pooling kernels as OpenMP loops); every other kernel is the cpu
 * backend's.
 */
export const ONEDNN_KERNELS: readonly string[] = Object.keys(KERNEL_FACTORIES);

function missingCpuKernel(kernelName: string): never {
  throw new Error(`@qad/backend-onednn: the cpu backend has no ${kernelName} kernel`);
}

/**
 * Default of {@link RegisterOnednnOptions.bufferPoolMiB}: a quarter of the machine's memory, at most 8 GiB.
 * The pool should hold a whole training step's activations, which all come free at its end; below that,
 * sizes are evicted before the next step asks for them again (ResNet-50 @112 batch 16 missed 400 arrays a
 * step with 1 GiB).
 */
export const DEFAULT_BUFFER_POOL_MIB = Math.min(8192, Math.floor(totalmem() / 4 / 2 ** 20));

/**
 * The oneDNN backend: tfjs's cpu backend (tensors stay in JS typed arrays) whose hot kernels call oneDNN
 * directly on those arrays, and whose native kernels write into arrays recycled from disposed tensors
 * ({@link BufferPool}) instead of new ones.
 */
export class MathBackendOnednn extends MathBackendCPU {
  /** The loaded native addon. */
  readonly addon: OnednnAddon;
  /** Where the native kernels take their output arrays from. */
  readonly bufferPool: BufferPool;

  constructor(addon: OnednnAddon, bufferPoolBytes = DEFAULT_BUFFER_POOL_MIB * 2 ** 20) {
    super();
    this.addon = addon;
    this.bufferPool = new BufferPool(bufferPoolBytes);
  }

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId {
    const dataId = super.write(values, shape, dtype);
    this.bufferPool.adopt(values);
    return dataId;
  }

  override move(
    dataId: tf.DataId,
    values: tf.backend_util.BackendValues,
    shape: number[],
    dtype: tf.DataType,
    refCount: number,
  ): void {
    super.move(dataId, values, shape, dtype, refCount);
    this.bufferPool.adopt(values);
  }

  override readSync(dataId: tf.DataId): tf.backend_util.BackendValues {
    // The caller may keep the array (dataSync returns it as is), so it must never be recycled.
    this.bufferPool.escape(this.data.get(dataId)?.values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const released = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) this.bufferPool.release(values);
    return released;
  }

  override dispose(): void {
    this.bufferPool.clear();
    super.dispose();
  }
}

/** Options of {@link registerOnednnBackend}. */
export interface RegisterOnednnOptions {
  /** Backend name; default `'onednn'`. */
  name?: string;
  /** tfjs backend priority (cpu is 1, wasm 2, tfjs-node 3); default 0 so that it runs only when set. */
  priority?: number;
  /** Path of the `.node` addon; default as in {@link loadOnednnAddon}. */
  addonPath?: string;
  /**
   * The most MiB of disposed tensors' arrays kept for reuse as kernel outputs (see {@link BufferPool});
   * 0 turns recycling off. Default {@link DEFAULT_BUFFER_POOL_MIB}.
   */
  bufferPoolMiB?: number;
}

/**
 * Registers the `onednn` backend: every kernel the cpu backend has, with {@link ONEDNN_KERNELS} replaced
 * by oneDNN primitives and native loops (float32; other dtypes and layouts fall back to the cpu kernel).
 * Loads the addon first, so a missing build fails here with an {@link OnednnUnavailableError} naming the
 * fix. Also installs a `Relu` gradient that runs the one-pass `QadReluGrad` on this backend and tfjs's own
 * formula elsewhere (gradients are process-wide in tfjs). Idempotent. Select it with
 * `await tf.setBackend('onednn')`.
 *
 * @returns the backend name.
 */
export function registerOnednnBackend(options: RegisterOnednnOptions = {}): string {
  const name = options.name ?? 'onednn';
  const poolMiB = options.bufferPoolMiB ?? DEFAULT_BUFFER_POOL_MIB;
  if (!(Number.isFinite(poolMiB) && poolMiB >= 0)) {
    throw new Error(`@qad/backend-onednn: bufferPoolMiB must be a number ≥ 0, got ${options.bufferPoolMiB}`);
  }
  const addon = loadOnednnAddon(options.addonPath);
  if (tf.findBackendFactory(name)) return name;
  const cpuKernels = tf.getKernelsForBackend('cpu');
  if (cpuKernels.length === 0) {
    throw new Error(
      '@qad/backend-onednn: no cpu kernels registered; @tensorflow/tfjs-backend-cpu did not load',
    );
  }
  for (const config of cpuKernels) {
    if (!tf.getKernel(config.kernelName, name)) tf.registerKernel({ ...config, backendName: name });
  }
  for (const kernelName of ONEDNN_KERNELS) {
    const cpuKernel =
      tf.getKernel(kernelName, 'cpu')?.kernelFunc ??
      (kernelName in PROTOCOL_FACTORIES ? undefined : missingCpuKernel(kernelName));
    let fellBack = false;
    const fallback: tf.KernelFunc = (args) => {
      fellBack = true;
      if (!cpuKernel) throw new Error(`${kernelName} on ${name}: no fallback for these inputs`);
      return cpuKernel(args);
    };
    const config = KERNEL_FACTORIES[kernelName]!({ addon, backendName: name, fallback });
    const native = config.kernelFunc;
    if (tf.getKernel(kernelName, name)) tf.unregisterKernel(kernelName, name);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        fellBack = false;
        const out = native(args);
        countRoute(kernelName, fellBack);
        return out;
      },
    });
  }
  registerReluGradient();
  tf.registerBackend(name, () => new MathBackendOnednn(addon, poolMiB * 2 ** 20), options.priority ?? 0);
  return name;
}
