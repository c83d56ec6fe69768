import type * as tf from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './conv_geometry';
import { allocate, type HeapBackend } from './heap_backend';

/**
 * The adjoint of im2col: adds every column `[N·OH·OW, fh·fw·C]` entry back onto the input position its
 * filter tap came from, giving `[N, H, W, C]` (taps in the padding are dropped). With
 * `columns = dy · Wᵀ` this is the input gradient of a strided convolution at the cost of the forward GEMM,
 * where the stride-1 formulation would waste s² of its work on inserted zeros.
 */
export function col2imAccumulate(
  backend: HeapBackend,
  columns: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const { batch: n, inHeight: h, inWidth: w, inChannels: channels, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const out = allocate(backend, [n, h, w, channels]);
  const dst = out.data;
  dst.fill(0);
  const src = backend.typedArrayFromHeap(columns) as Float32Array;
  const width = fh * fw * channels;
  let p = 0;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++, p++) {
        const rowBase = p * width;
        for (let i = 0; i < fh; i++) {
          const y = r * sh + i - padTop;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < fw; j++) {
            const x = q * sw + j - padLeft;
            if (x < 0 || x >= w) continue;
            const d = ((b * h + y) * w + x) * channels;
            const s = rowBase + (i * fw + j) * channels;
            for (let c = 0; c < channels; c++) dst[d + c]! += src[s + c]!;
          }
        }
      }
    }
  }
  return out.info;
}
