import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, transposedConvPlan } from '../conv_geometry';
import { composeKernel, requireInput } from '../kernel_scope';

/**
 * `Conv2DBackpropInput` through the backend's fast forward `Conv2D`: the input gradient of a convolution is a
 * stride-1 convolution of the output gradient — spread onto the input grid when the forward stride was > 1
 * — with the filter flipped in space and its channel axes swapped. A 1×1 stride-1 unpadded filter is one GEMM.
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
      const pointwise =
        g.filterHeight === 1 &&
        g.filterWidth === 1 &&
        g.strideHeight === 1 &&
        g.strideWidth === 1 &&
        g.padTop + g.padLeft + g.padBottom + g.padRight === 0;
      if (pointwise) {
        return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
          const rows = g.batch * g.outHeight * g.outWidth;
          const wT = k.transpose(k.reshape(filter, [g.inChannels, outChannels]), [1, 0]);
          return k.reshape(k.matMul(k.reshape(dy, [rows, outChannels]), wT), inputShape);
        });
      }
      const gradHeight = (g.outHeight - 1) * g.strideHeight + 1;
      const gradWidth = (g.outWidth - 1) * g.strideWidth + 1;
      const plan = transposedConvPlan(g, gradHeight, gradWidth);
      return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
        const flipped = k.transpose(k.run('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
        const full = k.run(
          'Conv2D',
          { x: k.dilateSpatially(dy, g.strideHeight, g.strideWidth), filter: flipped },
          { strides: [1, 1], pad: plan.paddings, dataFormat: 'NHWC', dilations: [1, 1] },
        );
        return plan.needsCrop ? k.stridedSlice(full, plan.cropBegin, inputShape, [1, 1, 1, 1]) : full;
      });
    },
  };
}
