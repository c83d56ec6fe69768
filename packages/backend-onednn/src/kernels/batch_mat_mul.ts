import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  float32Values,
  type KernelContext,
  output,
  outputArray,
  requireEqual,
  requireInput,
} from '../kernel_support';

/**
 * One oneDNN matmul for `BatchMatMul` and `_FusedMatMul`: transposes are strides on the same buffers.
 * Returns `null` (the caller runs the cpu kernel) for non-float32 operands and for batch broadcasts other
 * than equal batches or a batch of 1, which oneDNN does not express.
 */
export function runMatMul(
  ctx: KernelContext,
  args: Parameters<tf.KernelFunc>[0],
  kernel: string,
  bias: Float32Array | null,
  activation: number,
  alpha: number,
): tf.TensorInfo | null {
  const backend = args.backend as MathBackendCPU;
  const a = requireInput(args.inputs, 'a', kernel);
  const b = requireInput(args.inputs, 'b', kernel);
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new Error(`${kernel} on onednn: operands must be rank ≥ 2, got [${a.shape}] and [${b.shape}]`);
  }
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  requireEqual(k, kb, `inner dimensions of [${a.shape}] and [${b.shape}]`, kernel);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const as = float32Values(backend, a);
  const bs = float32Values(backend, b);
  const simpleBatch = batchA === batchB || batchA === 1 || batchB === 1;
  if (!as || !bs || !simpleBatch || m * n * k === 0) return null;
  const out = outputArray(backend, Math.max(batchA, batchB) * m * n);
  ctx.addon.matMul(
    as,
    bs,
    bias,
    out,
    [batchA, batchB, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0],
    activation,
    alpha,
  );
  return output(backend, [...outer, m, n], out);
}

/** `BatchMatMul` as one oneDNN matmul (see {@link runMatMul} for what goes to the cpu kernel). */
export function batchMatMul(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: ctx.backendName,
    kernelFunc: (args) => runMatMul(ctx, args, tf.BatchMatMul, null, 0, 0) ?? ctx.fallback(args),
  };
}
