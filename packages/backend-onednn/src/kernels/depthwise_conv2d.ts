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

type Shape4 = [number, number, number, number];

// A depthwise convolution is oneDNN's grouped convolution with one group per input channel; TF's
// [KH, KW, C, multiplier] filter is exactly oneDNN's `hwigo` layout, so all three passes run in place.

function depthwiseInfo(
  inputShape: Shape4,
  filterShape: Shape4,
  attrs: { strides: number | [number, number]; pad: tf.DepthwiseConv2dNativeAttrs['pad'] } & {
    dilations?: number | [number, number];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
): { info: tf.backend_util.Conv2DInfo; params: number[] | null } {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return { info, params: convParams(info, info.inChannels) };
}

/** `DepthwiseConv2dNative` forward as a oneDNN grouped convolution. */
export function depthwiseConv2d(ctx: KernelContext): tf.KernelConfig {
  const name = tf.DepthwiseConv2dNative;
  return {
    kernelName: name,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', name);
      const filter = requireInput(args.inputs, 'filter', name);
      requireRank(x, 4, 'x', name);
      requireRank(filter, 4, 'filter', name);
      const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
      requireEqual(filter.shape[2]!, x.shape[3]!, 'filter in-channels and input channels', name);
      const { info, params } = depthwiseInfo(x.shape as Shape4, filter.shape as Shape4, attrs);
      const xs = float32Values(backend, x);
      const fs = float32Values(backend, filter);
      if (!params || !xs || !fs) return ctx.fallback(args);
      const out = outputArray(backend, tf.util.sizeFromShape(info.outShape));
      ctx.addon.conv2dForward(xs, fs, null, out, params, 0, 0);
      return output(backend, info.outShape, out);
    },
  };
}

/** `DepthwiseConv2dNativeBackpropInput` as oneDNN grouped backward-data. */
export function depthwiseConv2dBackpropInput(ctx: KernelContext): tf.KernelConfig {
  const name = tf.DepthwiseConv2dNativeBackpropInput;
  return {
    kernelName: name,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const dy = requireInput(args.inputs, 'dy', name);
      const filter = requireInput(args.inputs, 'filter', name);
      requireRank(filter, 4, 'filter', name);
      const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
      const { info, params } = depthwiseInfo(attrs.inputShape, filter.shape as Shape4, attrs);
      requireEqual(filter.shape[2]!, info.inChannels, 'filter in-channels and input channels', name);
      requireShape(dy, info.outShape, 'dy', name);
      const dys = float32Values(backend, dy);
      const fs = float32Values(backend, filter);
      if (!params || !dys || !fs) return ctx.fallback(args);
      const out = outputArray(backend, tf.util.sizeFromShape(attrs.inputShape));
      ctx.addon.conv2dBackwardData(dys, fs, out, params);
      return output(backend, [...attrs.inputShape], out);
    },
  };
}

/** `DepthwiseConv2dNativeBackpropFilter` as oneDNN grouped backward-weights. */
export function depthwiseConv2dBackpropFilter(ctx: KernelContext): tf.KernelConfig {
  const name = tf.DepthwiseConv2dNativeBackpropFilter;
  return {
    kernelName: name,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', name);
      const dy = requireInput(args.inputs, 'dy', name);
      requireRank(x, 4, 'x', name);
      const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
      const { info, params } = depthwiseInfo(x.shape as Shape4, attrs.filterShape, attrs);
      requireEqual(attrs.filterShape[2], info.inChannels, 'filter in-channels and input channels', name);
      requireShape(dy, info.outShape, 'dy', name);
      const xs = float32Values(backend, x);
      const dys = float32Values(backend, dy);
      if (!params || !xs || !dys) return ctx.fallback(args);
      const out = outputArray(backend, tf.util.sizeFromShape(attrs.filterShape));
      ctx.addon.conv2dBackwardWeights(xs, dys, out, params);
      return output(backend, [...attrs.filterShape], out);
    },
  };
}
