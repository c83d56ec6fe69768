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
} from '../kernel_support';

/** `Conv2D` (NHWC, any strides, padding and dilation) as one oneDNN forward convolution. */
export function conv2d(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.Conv2D,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(inputs, 'x', tf.Conv2D);
      const filter = requireInput(inputs, 'filter', tf.Conv2D);
      requireRank(x, 4, 'x', tf.Conv2D);
      requireRank(filter, 4, 'filter', tf.Conv2D);
      const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        strides,
        dilations,
        pad,
        dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(dataFormat),
      );
      const params = convParams(info);
      const xs = float32Values(backend, x);
      const fs = float32Values(backend, filter);
      if (!params || !xs || !fs) return ctx.fallback(args);
      requireEqual(filter.shape[2]!, info.inChannels, 'filter in-channels and input channels', tf.Conv2D);
      const out = outputArray(backend, tf.util.sizeFromShape(info.outShape));
      ctx.addon.conv2dForward(xs, fs, null, out, params, 0, 0);
      return output(backend, info.outShape, out);
    },
  };
}
