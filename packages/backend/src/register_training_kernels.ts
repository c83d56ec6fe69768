import * as tf from '@tensorflow/tfjs-core';
import { registerBroadcastBatchNormGradient } from './batch_norm_gradient';
import { contiguousAxesReduction } from './kernels/contiguous_axes_reduction';
import { conv2dBackpropFilter } from './kernels/conv2d_backprop_filter';
import { conv2dBackpropInput } from './kernels/conv2d_backprop_input';
import { depthwiseBackpropFilter } from './kernels/depthwise_backprop_filter';
import { depthwiseBackpropInput } from './kernels/depthwise_backprop_input';
import { maxPoolGrad } from './kernels/max_pool_grad';

/** Kernel names this package registers (or replaces) on the wasm backend. */
export const WASM_TRAINING_KERNELS = [
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.MaxPoolGrad,
  tf.Sum,
  tf.Mean,
] as const;

const ours = new WeakSet<tf.KernelFunc>();

/**
 * Registers the training kernels that `@tensorflow/tfjs-backend-wasm` 4.22 lacks or gets wrong, built on its
 * XNNPACK forward kernels: `Conv2DBackpropFilter`, a fast `Conv2DBackpropInput`, both depthwise gradients,
 * a correct `MaxPoolGrad`, and `Sum`/`Mean` over contiguous non-trailing axes (batch-norm statistics, pooling) without a transpose. Uses tfjs's public kernel registry; replaced kernels are unregistered first.
 * Also replaces the batch-norm gradient with an equivalent that broadcasts instead of tiling (see
 * `registerBroadcastBatchNormGradient`).
 * Idempotent. Call after `@tensorflow/tfjs-backend-wasm` is imported (the import registers the backend).
 *
 * @param backendName - the backend to patch; default `'wasm'`.
 * @returns the names of the kernels registered by this call (empty when all were already in place).
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): string[] {
  registerBroadcastBatchNormGradient();
  const configs = [
    conv2dBackpropFilter(backendName),
    conv2dBackpropInput(backendName),
    depthwiseBackpropInput(backendName),
    depthwiseBackpropFilter(backendName),
    maxPoolGrad(backendName),
  ];
  for (const name of [tf.Sum, tf.Mean] as const) {
    const original = tf.getKernel(name, backendName);
    if (original && !ours.has(original.kernelFunc))
      configs.push(contiguousAxesReduction(name, backendName, original));
  }
  const registered: string[] = [];
  for (const config of configs) {
    const existing = tf.getKernel(config.kernelName, backendName);
    if (existing && ours.has(existing.kernelFunc)) continue;
    if (existing) tf.unregisterKernel(config.kernelName, backendName);
    ours.add(config.kernelFunc);
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
