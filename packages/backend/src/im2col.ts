import type * as tf from '@tensorflow/tfjs-core';
import { type ConvGeometry, tapColumnRange } from './conv_geometry';
import { allocate, type HeapBackend } from './heap_backend';

/**
 * The transposed patch matrix of a convolution, `[fh·fw·C, N·OH·OW]`: row `(i·fw + j)·C + c` holds, for
 * every output position, the input value that filter tap (i, j) of channel c multiplies — zero where the
 * tap falls in the padding. Reads the channel-major input `[C, N, H, W]` so that inner loops run along
 * contiguous rows. Written in JavaScript on the heap: the backend's StridedSlice is ~50× slower at this.
 */
export function im2colTransposed(
  backend: HeapBackend,
  channelMajor: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const { batch: n, inHeight: h, inWidth: w, inChannels: channels, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const positions = n * oh * ow;
  const out = allocate(backend, [fh * fw * channels, positions]);
  const dst = out.data;
  const src = backend.typedArrayFromHeap(channelMajor) as Float32Array;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const xOffset = j - padLeft;
      const [first, end] = tapColumnRange(xOffset, sw, w, ow);
      for (let c = 0; c < channels; c++) {
        let d = ((i * fw + j) * channels + c) * positions;
        for (let b = 0; b < n; b++) {
          const plane = (c * n + b) * h;
          for (let r = 0; r < oh; r++) {
            const y = r * sh + i - padTop;
            if (y < 0 || y >= h) {
              dst.fill(0, d, d + ow);
              d += ow;
              continue;
            }
            const row = (plane + y) * w + xOffset;
            if (first > 0) dst.fill(0, d, d + first);
            if (sw === 1) {
              dst.set(src.subarray(row + first, row + end), d + first);
            } else {
              for (let q = first; q < end; q++) dst[d + q] = src[row + q * sw]!;
            }
            if (end < ow) dst.fill(0, d + end, d + ow);
            d += ow;
          }
        }
      }
    }
  }
  return out.info;
}
