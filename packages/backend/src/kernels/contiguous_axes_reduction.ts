import * as tf from '@tensorflow/tfjs-core';
import { allocate, type HeapBackend } from '../heap_backend';
import { requireInput } from '../kernel_scope';

/**
 * `Sum` and `Mean` over a contiguous run of axes of a float32 tensor — `[N, H, W, C] → [C]` (batch-norm
 * statistics and gradients), `[N, H, W, C] → [N, C]` (global pooling, squeeze-excitation and broadcast
 * gradients) — as one streaming pass in JavaScript with float64 sums. The backend's kernels first
 * transpose the reduced axes innermost, a full copy of the activation. Other reductions go to the original.
 */
export function contiguousAxesReduction(
  kernelName: 'Sum' | 'Mean',
  backendName: string,
  original: tf.KernelConfig,
): tf.KernelConfig {
  return {
    kernelName,
    backendName,
    // The original's setup binds its wasm function; without it, the delegated cases would fail.
    setupFunc: original.setupFunc,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const x = requireInput(inputs, 'x', kernelName);
      const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const first = axes[0] ?? 0;
      const last = axes[axes.length - 1] ?? -1;
      const contiguous = axes.length > 0 && last - first + 1 === axes.length;
      // Reductions that end on the innermost axis are already fast in the backend.
      if (!contiguous || last === x.shape.length - 1 || x.dtype !== 'float32')
        return original.kernelFunc(args);
      const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
      const outer = product(x.shape.slice(0, first));
      const reduced = product(x.shape.slice(first, last + 1));
      const inner = product(x.shape.slice(last + 1));
      const heap = backend as unknown as HeapBackend;
      const outShape = keepDims
        ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d))
        : x.shape.filter((_, i) => i < first || i > last);
      const out = allocate(heap, outShape);
      const src = heap.typedArrayFromHeap(x) as Float32Array;
      const acc = new Float64Array(inner);
      const scale = kernelName === 'Mean' ? 1 / reduced : 1;
      for (let o = 0; o < outer; o++) {
        acc.fill(0);
        let r = 0;
        let base = o * reduced * inner;
        // Four rows per pass: a quarter of the accumulator traffic.
        for (; r + 4 <= reduced; r += 4, base += 4 * inner) {
          const b1 = base + inner;
          const b2 = b1 + inner;
          const b3 = b2 + inner;
          for (let c = 0; c < inner; c++)
            acc[c]! += src[base + c]! + src[b1 + c]! + src[b2 + c]! + src[b3 + c]!;
        }
        for (; r < reduced; r++, base += inner) {
          for (let c = 0; c < inner; c++) acc[c]! += src[base + c]!;
        }
        for (let c = 0; c < inner; c++) out.data[o * inner + c] = acc[c]! * scale;
      }
      return out.info;
    },
  };
}
