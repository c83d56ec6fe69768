import type * as tf from '@tensorflow/tfjs-core';

/**
 * The addon's 18 convolution parameters, `[N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, padTop,
 * padLeft, padBottom, padRight, groups]`, from tfjs's resolved geometry; `null` when oneDNN cannot run
 * it as is (NCHW, or an output size that does not follow from the padding, as `dimRoundingMode: 'ceil'`
 * can give, or an empty tensor), in which case the caller falls back to the cpu kernel.
 *
 * @param info - `backend_util.computeConv2DInfo`'s result.
 * @param groups - 1 for a regular convolution, the input channels for a depthwise one.
 */
export function convParams(info: tf.backend_util.Conv2DInfo, groups = 1): number[] | null {
  if (info.dataFormat !== 'channelsLast') return null;
  if (info.batchSize * info.inHeight * info.inWidth * info.inChannels * info.outChannels === 0) return null;
  const { top, left, bottom, right } = info.padInfo;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  const fits = (input: number, filter: number, stride: number, before: number, after: number, out: number) =>
    Math.floor((input + before + after - filter) / stride) + 1 === out;
  if (
    !fits(info.inHeight, info.effectiveFilterHeight, info.strideHeight, top, bottom, info.outHeight) ||
    !fits(info.inWidth, info.effectiveFilterWidth, info.strideWidth, left, right, info.outWidth)
  ) {
    return null;
  }
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
    bottom,
    right,
    groups,
  ];
}
