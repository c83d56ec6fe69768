import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { convParams } from '../conv_params';
import {
  float32Values,
  type KernelContext,
  output,
  outputArray,
  requireEqual,
  requireInput,
  requireRank,
  requireShape,
} from '../kernel_support';

/** `Conv2DBackpropInput` (the input gradient, also the transposed convolution) as oneDNN backward-data. */
export function conv2dBackpropInput(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as MathBackendCPU;
      const dy = requireInput(inputs, 'dy', tf.Conv2DBackpropInput);
      const filter = requireInput(inputs, 'filter', tf.Conv2DBackpropInput);
      requireRank(dy, 4, 'dy', tf.Conv2DBackpropInput);
      requireRank(filter, 4, 'filter', tf.Conv2DBackpropInput);
      const { inputShape, strides, pad, dataFormat, dimRoundingMode } =
        attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const info = tf.backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(dataFormat),
      );
      const params = convParams(info);
      const dys = float32Values(backend, dy);
      const fs = float32Values(backend, filter);
      if (!params || !dys || !fs) return ctx.fallback(args);
      requireEqual(
        filter.shape[2]!,
        info.inChannels,
        'filter in-channels and input channels',
        tf.Conv2DBackpropInput,
      );
      const dyShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
      requireShape(dy, dyShape, 'dy', tf.Conv2DBackpropInput);
      const out = outputArray(backend, tf.util.sizeFromShape(inputShape));
      ctx.addon.conv2dBackwardData(dys, fs, out, params);
      return output(backend, [...inputShape], out);
    },
  };
}
