import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  float32Values,
  type KernelContext,
  output,
  outputArray,
  requireInput,
  requireRank,
  zeroedOutputArray,
} from '../kernel_support';

/** The addon's 12 pooling parameters, or `null` for what it does not run (NCHW, negative padding). */
function poolParams(info: tf.backend_util.Conv2DInfo): number[] | null {
  if (info.dataFormat !== 'channelsLast' || info.dilationHeight !== 1 || info.dilationWidth !== 1)
    return null;
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0 || info.batchSize * info.inHeight * info.inWidth * info.inChannels === 0)
    return null;
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    top,
    left,
  ];
}

function poolInfo(x: tf.TensorInfo, attrs: tf.NamedAttrMap, kernel: string): tf.backend_util.Conv2DInfo {
  requireRank(x, 4, 'x', kernel);
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
  return tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
}

/** `MaxPool` over NHWC, channels in parallel blocks. */
export function maxPool(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.MaxPool,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = requireInput(args.inputs, 'x', tf.MaxPool);
      const info = poolInfo(x, args.attrs ?? {}, tf.MaxPool);
      const params = poolParams(info);
      const xs = float32Values(backend, x);
      if (!params || !xs) return ctx.fallback(args);
      const out = outputArray(backend, tf.util.sizeFromShape(info.outShape));
      ctx.addon.maxPool(xs, out, params);
      return output(backend, info.outShape, out);
    },
  };
}

/** `MaxPoolGrad`: each output's gradient goes to its window's first maximum, as on the cpu backend. */
export function maxPoolGrad(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const dy = requireInput(args.inputs, 'dy', tf.MaxPoolGrad);
      const x = requireInput(args.inputs, 'input', tf.MaxPoolGrad);
      const info = poolInfo(x, args.attrs ?? {}, tf.MaxPoolGrad);
      const params = poolParams(info);
      const dys = float32Values(backend, dy);
      const xs = float32Values(backend, x);
      if (!params || !dys || !xs) return ctx.fallback(args);
      if (!tf.util.arraysEqual(dy.shape, info.outShape)) {
        throw new Error(
          `${tf.MaxPoolGrad} on onednn: dy has shape [${dy.shape.join(', ')}], expected [${info.outShape.join(', ')}]`,
        );
      }
      const out = zeroedOutputArray(backend, xs.length);
      ctx.addon.maxPoolGrad(dys, xs, out, params);
      return output(backend, x.shape, out);
    },
  };
}
