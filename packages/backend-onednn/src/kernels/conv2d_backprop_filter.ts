import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { convParams } from '../conv_params';
import {
  float32Values,
  type KernelContext,
  output,
  outputArray,
  requireInput,
  requireRank,
  requireShape,
} from '../kernel_support';

/** `Conv2DBackpropFilter` (the filter gradient) as oneDNN backward-weights, written straight in HWIO. */
export function conv2dBackpropFilter(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(inputs, 'x', tf.Conv2DBackpropFilter);
      const dy = requireInput(inputs, 'dy', tf.Conv2DBackpropFilter);
      requireRank(x, 4, 'x', tf.Conv2DBackpropFilter);
      requireRank(dy, 4, 'dy', tf.Conv2DBackpropFilter);
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
        attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(dataFormat),
      );
      const params = convParams(info);
      const xs = float32Values(backend, x);
      const dys = float32Values(backend, dy);
      if (!params || !xs || !dys) return ctx.fallback(args);
      requireShape(dy, info.outShape, 'dy', tf.Conv2DBackpropFilter);
      const out = outputArray(backend, tf.util.sizeFromShape(filterShape));
      ctx.addon.conv2dBackwardWeights(xs, dys, out, params);
      return output(backend, [...filterShape], out);
    },
  };
}
