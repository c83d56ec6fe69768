import * as tf from '@tensorflow/tfjs-core';
import { col2imAccumulate } from '../col2im';
import { convGeometry, transposedConvPlan } from '../conv_geometry';
import type { HeapBackend } from '../heap_backend';
import { composeKernel, requireInput } from '../kernel_scope';

/** Below this many input channels the flipped convolution's GEMM is too narrow for XNNPACK to run well. */
const FEW_CHANNELS = 16;

/**
 * `Conv2DBackpropInput` at the speed of the forward pass. Three routes, all on XNNPACK-backed kernels:
 * an unpadded 1×1 stride-1 filter is one GEMM; a strided filter, or one feeding few channels (a stem), or a
 * weight-heavy one, is a GEMM `dy · Wᵀ` followed by col2im; everything else (stride 1) is a convolution of
 * the output gradient with the filter flipped in space and its channel axes swapped.
 */
export function conv2dBackpropInput(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const dy = requireInput(inputs, 'dy', tf.Conv2DBackpropInput);
      const filter = requireInput(inputs, 'filter', tf.Conv2DBackpropInput);
      const { inputShape, strides, pad, dataFormat, dimRoundingMode } =
        attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const g = convGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, false, dataFormat);
      const outChannels = filter.shape[3]!;
      const rows = g.batch * g.outHeight * g.outWidth;
      const pointwise =
        g.filterHeight === 1 &&
        g.filterWidth === 1 &&
        g.strideHeight === 1 &&
        g.strideWidth === 1 &&
        g.padTop + g.padLeft + g.padBottom + g.padRight === 0;
      if (pointwise) {
        return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
          const wT = k.transpose(k.reshape(filter, [g.inChannels, outChannels]), [1, 0]);
          return k.reshape(k.matMul(k.reshape(dy, [rows, outChannels]), wT), inputShape);
        });
      }
      const tapsPerPosition = g.filterHeight * g.filterWidth * g.inChannels;
      // Weight-heavy layers (deep, small maps) run better as one GEMM than as a convolution whose flipped
      // filter XNNPACK must repack on every call.
      if (g.strideHeight > 1 || g.strideWidth > 1 || g.inChannels < FEW_CHANNELS || rows < tapsPerPosition) {
        // dy [P, K] · Wᵀ [K, fh·fw·C] gives each output position's contribution to every tap; col2im adds them up.
        return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
          const wT = k.transpose(k.reshape(filter, [-1, outChannels]), [1, 0]);
          const columns = k.matMul(k.reshape(dy, [rows, outChannels]), wT);
          return k.adopt(col2imAccumulate(backend as HeapBackend, columns, g));
        });
      }
      // Stride 1 from here on: strided layers took the GEMM route above.
      const plan = transposedConvPlan(g, g.outHeight, g.outWidth);
      return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
        const flipped = k.transpose(k.run('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
        const full = k.run(
          'Conv2D',
          { x: dy, filter: flipped },
          { strides: [1, 1], pad: plan.paddings, dataFormat: 'NHWC', dilations: [1, 1] },
        );
        return plan.needsCrop ? k.stridedSlice(full, plan.cropBegin, inputShape, [1, 1, 1, 1]) : full;
      });
    },
  };
}
