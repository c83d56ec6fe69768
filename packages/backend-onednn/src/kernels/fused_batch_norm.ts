import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/**
 * `FusedBatchNorm` (the normalisation tfjs-layers' BatchNormalization applies after computing the batch
 * moments) in one pass, when every parameter is a per-channel vector over the last axis or a single
 * value; any other broadcast goes to the cpu kernel.
 */
export function fusedBatchNorm(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.FusedBatchNorm,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { inputs } = args;
      const x = requireInput(inputs, 'x', tf.FusedBatchNorm);
      const mean = requireInput(inputs, 'mean', tf.FusedBatchNorm);
      const variance = requireInput(inputs, 'variance', tf.FusedBatchNorm);
      const { offset, scale } = inputs as { offset?: tf.TensorInfo; scale?: tf.TensorInfo };
      const channels = x.shape[x.shape.length - 1] ?? 1;
      const perChannel = (t: tf.TensorInfo | undefined) => {
        if (!t) return true;
        const n = tf.util.sizeFromShape(t.shape);
        return (n === channels && t.shape[t.shape.length - 1] === channels) || n === 1;
      };
      const xs = float32Values(backend, x);
      const ms = float32Values(backend, mean);
      const vs = float32Values(backend, variance);
      const os = offset ? float32Values(backend, offset) : null;
      const ss = scale ? float32Values(backend, scale) : null;
      const sizeOk = tf.util.sizeFromShape(mean.shape) === channels;
      if (
        !xs ||
        !ms ||
        !vs ||
        (offset && !os) ||
        (scale && !ss) ||
        !sizeOk ||
        ![variance, offset, scale].every(perChannel)
      ) {
        return ctx.fallback(args);
      }
      const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
      const out = outputArray(backend, xs.length);
      ctx.addon.batchNormApply(xs, ms, vs, os, ss, out, varianceEpsilon ?? 0.001);
      return output(backend, x.shape, out);
    },
  };
}
