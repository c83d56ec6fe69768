import * as tf from '@tensorflow/tfjs-core';
import { convGeometry } from '../conv_geometry';
import { composeKernel, requireInput } from '../kernel_scope';

/**
 * `Conv2DBackpropFilter` as one GEMM: `dW [kh·kw·C, K] = patchesᵀ [kh·kw·C, N·OH·OW] · dy [N·OH·OW, K]`. The
 * transposed patch matrix is assembled from kh·kw strided slices of the channel-major input, so the product
 * runs untransposed through the backend's `BatchMatMul` (XNNPACK on wasm, ~20 GFLOP/s on one core; its
 * transposed variants run ~15× slower). A 1×1 filter needs no patches at all.
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
        const padded = k.pad(x, [
          [0, 0],
          [g.padTop, g.padBottom],
          [g.padLeft, g.padRight],
          [0, 0],
        ]);
        const channelMajor = k.transpose(padded, [3, 0, 1, 2]);
        const taps: tf.TensorInfo[] = [];
        for (let i = 0; i < g.filterHeight; i++) {
          for (let j = 0; j < g.filterWidth; j++) {
            taps.push(
              k.stridedSlice(
                channelMajor,
                [0, 0, i, j],
                [g.inChannels, g.batch, g.outHeight, g.outWidth],
                [1, 1, g.strideHeight, g.strideWidth],
              ),
            );
          }
        }
        const patchesT =
          taps.length === 1
            ? k.reshape(taps[0]!, [g.inChannels, rows])
            : k.reshape(k.run('Pack', taps, { axis: 0 }), [taps.length * g.inChannels, rows]);
        return k.reshape(k.matMul(patchesT, grad), filterShape);
      });
    },
  };
}
