import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/**
 * `SplitV` of a float32 tensor as one native strided copy per part. The cpu backend's SplitV calls its own
 * slice implementation, which copies a non-contiguous slice element by element through a TensorBuffer: the
 * backward of a channel concatenation (MesoInception-4's blocks) spent 89 % of a training step there.
 */
export function splitV(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.SplitV,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', tf.SplitV);
      const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
      const xs = float32Values(backend, x);
      if (!xs) return ctx.fallback(args);
      const [dim] = tf.util.parseAxisParam(axis, x.shape) as [number];
      const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, dim);
      const begin = x.shape.map(() => 0);
      return sizes.map((part) => {
        const size = x.shape.slice();
        size[dim] = part;
        const from = begin.slice();
        begin[dim]! += part;
        const out = outputArray(backend, tf.util.sizeFromShape(size));
        if (out.length > 0) ctx.addon.slice(xs, x.shape, from, size, out);
        return output(backend, size, out);
      });
    },
  };
}
