import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray } from '../kernel_support';

/** `AddN` (how the tape sums the gradients of a tensor used twice, as in residual blocks) in one pass. */
export function addN(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.AddN,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const tensors = args.inputs as unknown as tf.TensorInfo[];
      if (tensors.length === 0) return ctx.fallback(args);
      const shape = tensors[0]!.shape;
      const arrays: Float32Array[] = [];
      for (const t of tensors) {
        const v = float32Values(backend, t);
        if (!v || !tf.util.arraysEqual(t.shape, shape)) return ctx.fallback(args);
        arrays.push(v);
      }
      const out = outputArray(backend, tf.util.sizeFromShape(shape));
      ctx.addon.addN(arrays, out);
      return output(backend, shape, out);
    },
  };
}
