import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelContext } from './kernel_support';
import { batchMatMul } from './kernels/batch_mat_mul';
import { conv2d } from './kernels/conv2d';
import { conv2dBackpropFilter } from './kernels/conv2d_backprop_filter';
import { conv2dBackpropInput } from './kernels/conv2d_backprop_input';
import {
  depthwiseConv2d,
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
} from './kernels/depthwise_conv2d';
import { fusedConv2d } from './kernels/fused_conv2d';
import { fusedMatMul } from './kernels/fused_mat_mul';
import { loadOnednnAddon, type OnednnAddon } from './load_addon';

/** The kernels the oneDNN backend runs natively; every other kernel is the cpu backend's. */
export const ONEDNN_KERNELS = [
  tf.Conv2D,
  tf.Conv2DBackpropInput,
  tf.Conv2DBackpropFilter,
  tf.FusedConv2D,
  tf.DepthwiseConv2dNative,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.BatchMatMul,
  tf._FusedMatMul,
] as const;

const KERNEL_FACTORIES: Record<(typeof ONEDNN_KERNELS)[number], (ctx: KernelContext) => tf.KernelConfig> = {
  [tf.Conv2D]: conv2d,
  [tf.Conv2DBackpropInput]: conv2dBackpropInput,
  [tf.Conv2DBackpropFilter]: conv2dBackpropFilter,
  [tf.FusedConv2D]: fusedConv2d,
  [tf.DepthwiseConv2dNative]: depthwiseConv2d,
  [tf.DepthwiseConv2dNativeBackpropInput]: depthwiseConv2dBackpropInput,
  [tf.DepthwiseConv2dNativeBackpropFilter]: depthwiseConv2dBackpropFilter,
  [tf.BatchMatMul]: batchMatMul,
  [tf._FusedMatMul]: fusedMatMul,
};

/**
 * The oneDNN backend: tfjs's cpu backend (tensors stay in JS typed arrays) whose hot kernels call oneDNN
 * directly on those arrays. A subclass only so that `tf.backend()` says which one is running.
 */
export class MathBackendOnednn extends MathBackendCPU {
  /** The loaded native addon. */
  readonly addon: OnednnAddon;

  constructor(addon: OnednnAddon) {
    super();
    this.addon = addon;
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
}

/**
 * Registers the `onednn` backend: every kernel the cpu backend has, with {@link ONEDNN_KERNELS} replaced
 * by oneDNN primitives (float32 NHWC; other dtypes and layouts fall back to the cpu kernel). Loads the
 * addon first, so a missing build fails here with an {@link OnednnUnavailableError} naming the fix.
 * Idempotent. Select it with `await tf.setBackend('onednn')`.
 *
 * @returns the backend name.
 */
export function registerOnednnBackend(options: RegisterOnednnOptions = {}): string {
  const name = options.name ?? 'onednn';
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
    const fallback = tf.getKernel(kernelName, 'cpu')?.kernelFunc;
    if (!fallback) throw new Error(`@qad/backend-onednn: the cpu backend has no ${kernelName} kernel`);
    tf.unregisterKernel(kernelName, name);
    tf.registerKernel(KERNEL_FACTORIES[kernelName]({ addon, backendName: name, fallback }));
  }
  tf.registerBackend(name, () => new MathBackendOnednn(addon), options.priority ?? 0);
  return name;
}
