import * as tf from '@tensorflow/tfjs-core';

/** What the gradient kernels need to know about a convolution. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/**
 * The geometry of an NHWC convolution of `xShape` with a `[fh, fw, ...]` filter, as tfjs computes it for the
 * forward pass — so that gradients use exactly the padding the forward pass used.
 */
export function convGeometry(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): ConvGeometry {
  if (dataFormat !== 'NHWC') {
    throw new Error(
      `@qad/backend's wasm gradient kernels support dataFormat 'NHWC' only, got '${dataFormat}'.`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}

/** How to run the input gradient as a stride-1 convolution: its paddings, then a crop of its output. */
export interface TransposedConvPlan {
  paddings: Array<[number, number]>;
  /** Offset `[0, top, left, 0]` of the crop that leaves exactly the input's height and width. */
  cropBegin: number[];
  /** Whether the convolution's output is larger than the input and must be cropped. */
  needsCrop: boolean;
}

/**
 * The stride-1 "full" correlation that maps a (dilated) output gradient of size `gradHeight × gradWidth` back
 * onto the input grid: it pads by `f − 1 − pad` on the leading sides — or, where an explicit padding is wider
 * than the filter and that would be negative, pads 0 and crops the surplus rows afterwards — and by whatever
 * on the trailing sides leaves at least the input's size.
 */
export function transposedConvPlan(
  g: ConvGeometry,
  gradHeight: number,
  gradWidth: number,
): TransposedConvPlan {
  const top = g.filterHeight - 1 - g.padTop;
  const left = g.filterWidth - 1 - g.padLeft;
  const padTop = Math.max(0, top);
  const padLeft = Math.max(0, left);
  const cropTop = padTop - top;
  const cropLeft = padLeft - left;
  const padBottom = Math.max(0, cropTop + g.inHeight - gradHeight - padTop + g.filterHeight - 1);
  const padRight = Math.max(0, cropLeft + g.inWidth - gradWidth - padLeft + g.filterWidth - 1);
  const outHeight = gradHeight + padTop + padBottom - g.filterHeight + 1;
  const outWidth = gradWidth + padLeft + padRight - g.filterWidth + 1;
  return {
    paddings: [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ],
    cropBegin: [0, cropTop, cropLeft, 0],
    needsCrop: cropTop > 0 || cropLeft > 0 || outHeight !== g.inHeight || outWidth !== g.inWidth,
  };
}

/**
 * The output columns `[first, end)` whose filter tap at column offset `offset` (tap index minus left
 * padding) lands inside an input row of width `inWidth`, at stride `stride`, out of `outWidth` columns.
 * Columns outside the range read padding.
 */
export function tapColumnRange(
  offset: number,
  stride: number,
  inWidth: number,
  outWidth: number,
): [number, number] {
  const first = Math.min(outWidth, Math.max(0, Math.ceil(-offset / stride)));
  const end = Math.max(first, Math.min(outWidth, Math.floor((inWidth - 1 - offset) / stride) + 1));
  return [first, end];
}
