import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/** The addon's codes for the reductions it runs. */
export const REDUCE_OPS = { [tf.Sum]: 0, [tf.Mean]: 1, [tf.Max]: 2, [tf.Min]: 3 } as const;

/**
 * `[outer, reduce, inner]` when the reduced axes form one contiguous block of `shape` (after dropping
 * size-1 axes, which change nothing), else `null`.
 */
export function reductionBlock(
  shape: readonly number[],
  axes: readonly number[],
): [number, number, number] | null {
  const reduced = new Set(axes);
  const kept = shape.map((_, i) => i).filter((i) => shape[i] !== 1);
  const inBlock = kept.filter((i) => reduced.has(i));
  if (inBlock.length === 0) return null;
  const first = kept.indexOf(inBlock[0]!);
  if (kept.slice(first, first + inBlock.length).some((i) => !reduced.has(i))) return null;
  const product = (from: number, to: number) => shape.slice(from, to).reduce((a, b) => a * b, 1);
  const lo = inBlock[0]!;
  const hi = inBlock[inBlock.length - 1]! + 1;
  return [product(0, lo), product(lo, hi), product(hi, shape.length)];
}

/**
 * `Sum`, `Mean`, `Max` or `Min` of a float32 tensor over one contiguous block of axes, without the
 * transpose the cpu kernel makes first. Other axis patterns and dtypes go to the cpu kernel.
 */
export function reductionKernel(kernelName: keyof typeof REDUCE_OPS) {
  return (ctx: KernelContext): tf.KernelConfig => ({
    kernelName,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', kernelName);
      const attrs = args.attrs as {
        axis?: number | number[];
        reductionIndices?: number | number[];
        keepDims?: boolean;
      };
      // `null` (tf.sum(x) with no axis) means every axis, as in the cpu kernel.
      const axis = kernelName === tf.Max ? attrs.reductionIndices : attrs.axis;
      const axes = tf.util.parseAxisParam(axis as number[], x.shape);
      const xs = float32Values(backend, x);
      const block = xs && xs.length > 0 ? reductionBlock(x.shape, axes) : null;
      if (!xs || !block) return ctx.fallback(args);
      const shape = attrs.keepDims
        ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !axes.includes(i));
      const out = outputArray(backend, block[0] * block[2]);
      ctx.addon.reduce(REDUCE_OPS[kernelName], xs, out, block);
      return output(backend, shape, out);
    },
  });
}
