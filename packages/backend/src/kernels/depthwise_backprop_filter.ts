import * as tf from '@tensorflow/tfjs-core';
import { convGeometry } from '../conv_geometry';
import { composeKernel, requireInput } from '../kernel_scope';

/**
 * `DepthwiseConv2dNativeBackpropFilter`: for each of the fh·fw filter taps, the strided slice of the padded
 * input that the tap saw, times the output gradient, summed over batch and space. Depthwise filters are
 * small (3×3, 5×5), so fh·fw fused multiply–reduce passes over the activations are the whole cost.
 */
export function depthwiseBackpropFilter(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = requireInput(inputs, 'x', tf.DepthwiseConv2dNativeBackpropFilter);
      const dy = requireInput(inputs, 'dy', tf.DepthwiseConv2dNativeBackpropFilter);
      const { strides, pad, dimRoundingMode, filterShape } =
        attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
      const g = convGeometry(x.shape, filterShape, strides, pad, dimRoundingMode, true);
      const [fh, fw, channels, multiplier] = filterShape as [number, number, number, number];
      return composeKernel(backend as tf.KernelBackend, backendName, (k) => {
        const padded = k.pad(x, [
          [0, 0],
          [g.padTop, g.padBottom],
          [g.padLeft, g.padRight],
          [0, 0],
        ]);
        const grad =
          multiplier === 1 ? dy : k.reshape(dy, [g.batch, g.outHeight, g.outWidth, channels, multiplier]);
        const taps: tf.TensorInfo[] = [];
        for (let i = 0; i < fh; i++) {
          for (let j = 0; j < fw; j++) {
            let seen = k.stridedSlice(
              padded,
              [0, i, j, 0],
              [g.batch, g.outHeight, g.outWidth, channels],
              [1, g.strideHeight, g.strideWidth, 1],
            );
            if (multiplier > 1) seen = k.reshape(seen, [g.batch, g.outHeight, g.outWidth, channels, 1]);
            taps.push(
              k.run(
                'Sum',
                { x: k.run('Multiply', { a: seen, b: grad }) },
                { axis: [0, 1, 2], keepDims: false },
              ),
            );
          }
        }
        return k.reshape(k.run('Pack', taps, { axis: 0 }), filterShape);
      });
    },
  };
}
