import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/** The addon's codes for the element-wise unary kernels it runs. */
export const UNARY_OPS = {
  [tf.Relu]: 0,
  [tf.Relu6]: 1,
  [tf.Neg]: 2,
  [tf.Square]: 3,
  [tf.Sqrt]: 4,
  [tf.Rsqrt]: 5,
  [tf.Exp]: 6,
  [tf.Log]: 7,
  [tf.Sigmoid]: 8,
  [tf.Abs]: 9,
  [tf.Step]: 10,
  [tf.Reciprocal]: 11,
  [tf.Tanh]: 12,
  [tf.Elu]: 13,
  [tf.LeakyRelu]: 14,
} as const;

/**
 * A float32 unary kernel in one native pass (OpenMP over the cores); `Step` and `LeakyRelu` read their
 * `alpha` attribute. Other dtypes go to the cpu kernel.
 */
export function unaryKernel(kernelName: keyof typeof UNARY_OPS) {
  return (ctx: KernelContext): tf.KernelConfig => ({
    kernelName,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', kernelName);
      const xs = float32Values(backend, x);
      if (!xs) return ctx.fallback(args);
      const alpha = Number((args.attrs as { alpha?: number } | undefined)?.alpha ?? 0);
      const out = outputArray(backend, xs.length);
      ctx.addon.unary(UNARY_OPS[kernelName], xs, out, alpha);
      return output(backend, x.shape, out);
    },
  });
}
