import { QadSwish, QadSwishGrad } from '@qad/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/**
 * Swish (SiLU) `x·σ(x)` and its gradient `dy·σ(x)·(1 + x·(1 − σ(x)))`, each in one pass. Not tfjs kernels:
 * a protocol with `@qad/backbones`' `Swish` layer, which runs them when the active backend registers both
 * (`{x}` → y; `{dy, x}` → dx) and its chain of ops otherwise.
 */
export const SWISH = QadSwish;
/** See {@link SWISH}. */
export const SWISH_GRAD = QadSwishGrad;

const SWISH_UNARY_OP = 15;
const SWISH_GRAD_BINARY_OP = 8;

/** {@link SWISH} natively. */
export function swish(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: SWISH,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', SWISH);
      const xs = float32Values(backend, x);
      if (!xs) throw new Error(`${SWISH} on onednn: x must be float32, got ${x.dtype}`);
      const out = outputArray(backend, xs.length);
      ctx.addon.unary(SWISH_UNARY_OP, xs, out, 0);
      return output(backend, x.shape, out);
    },
  };
}

/** {@link SWISH_GRAD} natively. */
export function swishGrad(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: SWISH_GRAD,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const dy = requireInput(args.inputs, 'dy', SWISH_GRAD);
      const x = requireInput(args.inputs, 'x', SWISH_GRAD);
      const dys = float32Values(backend, dy);
      const xs = float32Values(backend, x);
      if (!dys || !xs || !tf.util.arraysEqual(dy.shape, x.shape)) {
        throw new Error(`${SWISH_GRAD} on onednn: dy and x must be float32 tensors of one shape`);
      }
      const out = outputArray(backend, xs.length);
      ctx.addon.binary(SWISH_GRAD_BINARY_OP, dys, dy.shape, xs, x.shape, out);
      return output(backend, x.shape, out);
    },
  };
}
