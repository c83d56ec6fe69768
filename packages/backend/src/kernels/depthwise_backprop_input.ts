import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, transposedConvPlan } from '../conv_geometry';
import { composeKernel, requireInput } from '../kernel_scope';

/**
 * `DepthwiseConv2dNativeBackpropInput` through the backend's forward depthwise convolution: a stride-1
 * depthwise convolution of the (spread) output gradient with the spatially flipped filter. With a channel
 * multiplier m > 1, every one of the C·m output channels is convolved on its own and the m results of each
 * input channel are summed.
 */
export function depthwiseBackpropInput(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const dy = requireInput(inputs, 'dy', tf.DepthwiseConv2dNativeBackpropInput);
      const filter = requireInput(inputs, 'filter', tf.DepthwiseConv2dNativeBackpropInput);
      const { strides, pad, dimRoundingMode, inputShape } =
        attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
      const g = convGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, true);
      const [fh, fw, channels, multiplier] = filter.shape as [number, number, number, number];
      const gradHeight = (g.outHeight - 1) * g.strideHeight + 1;
      const gradWidth = (g.outWidth - 1) * g.strideWidth + 1;
      const plan = transposedConvPlan(g, gradHeight, gradWidth);
      return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
        const flipped = k.reshape(k.run('Reverse', { x: filter }, { dims: [0, 1] }), [
          fh,
          fw,
          channels * multiplier,
          1,
        ]);
        const full = k.run(
          'DepthwiseConv2dNative',
          { x: k.dilateSpatially(dy, g.strideHeight, g.strideWidth), filter: flipped },
          { strides: [1, 1], pad: plan.paddings, dilations: [1, 1] },
        );
        const perChannel = plan.needsCrop
          ? k.stridedSlice(
              full,
              plan.cropBegin,
              [...inputShape.slice(0, 3), channels * multiplier],
              [1, 1, 1, 1],
            )
          : full;
        if (multiplier === 1) return perChannel;
        const split = k.reshape(perChannel, [...inputShape, multiplier]);
        return k.run('Sum', { x: split }, { axis: [4], keepDims: false });
      });
    },
  };
}
