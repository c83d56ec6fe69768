import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  float32Values,
  type KernelContext,
  output,
  requireInput,
  zeroedOutputArray,
} from '../kernel_support';

/** `PadV2` (constant padding, as ZeroPadding2D) of a float32 tensor as parallel row copies. */
export function padV2(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.PadV2,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', tf.PadV2);
      const { paddings, constantValue } = args.attrs as unknown as tf.PadV2Attrs;
      const xs = float32Values(backend, x);
      if (!xs || paddings.length !== x.shape.length || paddings.some(([a, b]) => a! < 0 || b! < 0)) {
        return ctx.fallback(args);
      }
      const before = paddings.map((p) => p[0]!);
      const after = paddings.map((p) => p[1]!);
      const shape = x.shape.map((d, i) => d + before[i]! + after[i]!);
      const out = zeroedOutputArray(backend, tf.util.sizeFromShape(shape));
      ctx.addon.pad(xs, x.shape, before, after, constantValue, out);
      return output(backend, shape, out);
    },
  };
}
