import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/** The addon's codes for the broadcasting binary kernels it runs. */
export const BINARY_OPS = {
  [tf.Add]: 0,
  [tf.Sub]: 1,
  [tf.Multiply]: 2,
  [tf.RealDiv]: 3,
  [tf.SquaredDifference]: 4,
  [tf.Maximum]: 5,
  [tf.Minimum]: 6,
} as const;

/** A float32 binary kernel with tfjs broadcasting, in one native pass; other dtypes go to the cpu kernel. */
export function binaryKernel(kernelName: keyof typeof BINARY_OPS) {
  return (ctx: KernelContext): tf.KernelConfig => ({
    kernelName,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const a = requireInput(args.inputs, 'a', kernelName);
      const b = requireInput(args.inputs, 'b', kernelName);
      const as = float32Values(backend, a);
      const bs = float32Values(backend, b);
      if (!as || !bs) return ctx.fallback(args);
      const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const out = outputArray(backend, tf.util.sizeFromShape(shape));
      ctx.addon.binary(BINARY_OPS[kernelName], as, a.shape, bs, b.shape, out);
      return output(backend, shape, out);
    },
  });
}
