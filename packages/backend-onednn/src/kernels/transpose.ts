import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/** `Transpose` of a float32 tensor, output rows in parallel. */
export function transpose(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.Transpose,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', tf.Transpose);
      const { perm } = args.attrs as unknown as tf.TransposeAttrs;
      const xs = float32Values(backend, x);
      if (!xs || perm.length !== x.shape.length) return ctx.fallback(args);
      const shape = perm.map((p) => x.shape[p]!);
      const out = outputArray(backend, xs.length);
      ctx.addon.transpose(xs, x.shape, perm, out);
      return output(backend, shape, out);
    },
  };
}
