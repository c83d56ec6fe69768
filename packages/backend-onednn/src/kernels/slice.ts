import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/**
 * `Slice` of a float32 tensor as parallel row copies. A slice that is one contiguous range stays with the
 * cpu kernel, which returns a view of the same buffer without copying.
 */
export function slice(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.Slice,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', tf.Slice);
      const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
      const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
      tf.slice_util.assertParamsValid(x as tf.Tensor, b, s);
      const xs = float32Values(backend, x);
      if (!xs || tf.slice_util.isSliceContinous(x.shape, b, s)) return ctx.fallback(args);
      const out = outputArray(backend, tf.util.sizeFromShape(s));
      ctx.addon.slice(xs, x.shape, b, s, out);
      return output(backend, s, out);
    },
  };
}
