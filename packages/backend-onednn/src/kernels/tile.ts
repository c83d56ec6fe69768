import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/** `Tile` of a float32 tensor as parallel row copies. */
export function tile(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.Tile,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', tf.Tile);
      const { reps } = args.attrs as unknown as tf.TileAttrs;
      const xs = float32Values(backend, x);
      if (!xs || reps.length !== x.shape.length) return ctx.fallback(args);
      const shape = x.shape.map((d, i) => d * reps[i]!);
      const out = outputArray(backend, tf.util.sizeFromShape(shape));
      ctx.addon.tile(xs, x.shape, reps, out);
      return output(backend, shape, out);
    },
  };
}
