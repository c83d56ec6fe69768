import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_CODES, DEFAULT_LEAKYRELU_ALPHA } from '../activation_codes';
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

/**
 * `FusedConv2D`: the convolution, per-channel bias and activation in one oneDNN primitive (bias and
 * activation are applied to the output in cache). A bias that is not one value per output channel, and
 * `prelu`, go to the cpu kernel.
 */
export function fusedConv2d(ctx: KernelContext): tf.KernelConfig {
  const name = tf.FusedConv2D;
  return {
    kernelName: name,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', name);
      const filter = requireInput(args.inputs, 'filter', name);
      requireRank(x, 4, 'x', name);
      requireRank(filter, 4, 'filter', name);
      const bias = args.inputs.bias;
      const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } =
        args.attrs as unknown as tf.FusedConv2DAttrs;
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
      const code = ACTIVATION_CODES[activation ?? 'linear'];
      const xs = float32Values(backend, x);
      const fs = float32Values(backend, filter);
      const bs = bias ? float32Values(backend, bias) : null;
      const perChannelBias =
        !bias ||
        (tf.util.sizeFromShape(bias.shape) === info.outChannels && bias.shape.at(-1) === info.outChannels);
      if (!params || code === undefined || !xs || !fs || (bias && !bs) || !perChannelBias)
        return ctx.fallback(args);
      requireEqual(filter.shape[2]!, info.inChannels, 'filter in-channels and input channels', name);
      const out = outputArray(backend, tf.util.sizeFromShape(info.outShape));
      ctx.addon.conv2dForward(xs, fs, bs, out, params, code, leakyreluAlpha ?? DEFAULT_LEAKYRELU_ALPHA);
      return output(backend, info.outShape, out);
    },
  };
}
