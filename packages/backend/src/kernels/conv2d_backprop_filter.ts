import * as tf from '@tensorflow/tfjs-core';
import { convGeometry } from '../conv_geometry';
import type { HeapBackend } from '../heap_backend';
import { im2colTransposed } from '../im2col';
import { composeKernel, requireInput } from '../kernel_scope';

/**
 * `Conv2DBackpropFilter` as one GEMM: `dW [kh·kw·C, K] = patchesᵀ [kh·kw·C, N·OH·OW] · dy [N·OH·OW, K]`. The
 * transposed patch matrix is built directly (see `im2colTransposed`), so the product runs untransposed
 * through the backend's `BatchMatMul` (XNNPACK on wasm, ~20 GFLOP/s on one core; its transposed variants
 * run ~15× slower). An unpadded 1×1 filter needs no patches: its input, subsampled, is the matrix.
 */
export function conv2dBackpropFilter(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = requireInput(inputs, 'x', tf.Conv2DBackpropFilter);
      const dy = requireInput(inputs, 'dy', tf.Conv2DBackpropFilter);
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
        attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const g = convGeometry(x.shape, filterShape, strides, pad, dimRoundingMode, false, dataFormat);
      const outChannels = filterShape[3]!;
      const rows = g.batch * g.outHeight * g.outWidth;
      return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
        const grad = k.reshape(dy, [rows, outChannels]);
        const patchesT =
          g.filterHeight === 1 && g.filterWidth === 1 && g.padTop + g.padLeft === 0
            ? k.transpose(
                k.stridedSlice(
                  x,
                  [0, 0, 0, 0],
                  [g.batch, g.outHeight, g.outWidth, g.inChannels],
                  [1, g.strideHeight, g.strideWidth, 1],
                ),
                [3, 0, 1, 2],
              )
            : k.adopt(im2colTransposed(backend as HeapBackend, k.transpose(x, [3, 0, 1, 2]), g));
        return k.reshape(k.matMul(k.reshape(patchesT, [-1, rows]), grad), filterShape);
      });
    },
  };
}
