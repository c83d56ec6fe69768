import * as tf from '@tensorflow/tfjs-core';
import { allocate, type HeapBackend } from '../heap_backend';
import { requireInput } from '../kernel_scope';

/**
 * A correct `MaxPoolGrad` (tfjs-backend-wasm 4.22's returns wrong gradients for some shapes). Each output
 * gradient goes to the first maximum of its window in row-major scan order, as in tfjs's cpu backend;
 * windows that overlap add up. Runs in JavaScript over the backend's heap: max pooling appears once per
 * ResNet, and this is a single pass over the activations.
 */
export function maxPoolGrad(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const dy = requireInput(inputs, 'dy', tf.MaxPoolGrad);
      const input = requireInput(inputs, 'input', tf.MaxPoolGrad);
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
      const info = tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number],
        filterSize,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const heap = backend as HeapBackend;
      const { info: out, data: dx } = allocate(heap, input.shape);
      const x = heap.typedArrayFromHeap(input);
      const grad = heap.typedArrayFromHeap(dy);
      dx.fill(0);
      const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
      const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
      const top = info.padInfo.top;
      const left = info.padInfo.left;
      for (let b = 0; b < batchSize; b++) {
        const xBase = b * inHeight * inWidth * c;
        for (let oy = 0; oy < outHeight; oy++) {
          const y0 = oy * strideHeight - top;
          for (let ox = 0; ox < outWidth; ox++) {
            const x0 = ox * strideWidth - left;
            const gBase = ((b * outHeight + oy) * outWidth + ox) * c;
            for (let ch = 0; ch < c; ch++) {
              let best = Number.NEGATIVE_INFINITY;
              let at = -1;
              for (let fy = 0; fy < filterHeight; fy++) {
                const y = y0 + fy;
                if (y < 0 || y >= inHeight) continue;
                for (let fx = 0; fx < filterWidth; fx++) {
                  const xx = x0 + fx;
                  if (xx < 0 || xx >= inWidth) continue;
                  const index = xBase + (y * inWidth + xx) * c + ch;
                  const v = x[index]!;
                  if (v > best || at < 0) {
                    best = v;
                    at = index;
                  }
                }
              }
              if (at >= 0) dx[at]! += grad[gBase + ch]!;
            }
          }
        }
      }
      return out;
    },
  };
}
