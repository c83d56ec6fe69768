import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_CODES, DEFAULT_LEAKYRELU_ALPHA } from '../activation_codes';
import { float32Values, type KernelContext } from '../kernel_support';
import { runMatMul } from './batch_mat_mul';

/**
 * `_FusedMatMul` (what tfjs-layers' Dense calls): matmul, bias and activation in one oneDNN primitive.
 * A bias that is not one value per output column, and `prelu`, go to the cpu kernel.
 */
export function fusedMatMul(ctx: KernelContext): tf.KernelConfig {
  const name = tf._FusedMatMul;
  return {
    kernelName: name,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { activation, leakyreluAlpha } = args.attrs as unknown as tf._FusedMatMulAttrs;
      const code = ACTIVATION_CODES[activation ?? 'linear'];
      const bias = args.inputs.bias;
      const b = args.inputs.b;
      const { transposeB } = args.attrs as unknown as tf._FusedMatMulAttrs;
      const columns = b ? b.shape[b.shape.length - (transposeB ? 2 : 1)] : undefined;
      const perColumn =
        !bias || (tf.util.sizeFromShape(bias.shape) === columns && bias.shape.at(-1) === columns);
      const biasValues = bias ? float32Values(backend, bias) : null;
      if (code === undefined || !perColumn || (bias && !biasValues)) return ctx.fallback(args);
      return (
        runMatMul(ctx, args, name, biasValues, code, leakyreluAlpha ?? DEFAULT_LEAKYRELU_ALPHA) ??
        ctx.fallback(args)
      );
    },
  };
}
