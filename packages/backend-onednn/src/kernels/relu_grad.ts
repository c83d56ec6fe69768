import { QadReluGrad } from '@qad/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/**
 * ReLU's input gradient in one pass, `dy · step(x)`: inputs `{dy, x}` of one shape. Not a tfjs kernel: the
 * ReLU gradient {@link registerReluGradient} installs runs it on backends that register it.
 */
export const RELU_GRAD = QadReluGrad;

/** The binary-op code of the addon's ReLU gradient. */
const RELU_GRAD_OP = 7;

/** {@link RELU_GRAD} natively. */
export function reluGrad(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: RELU_GRAD,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const dy = requireInput(args.inputs, 'dy', RELU_GRAD);
      const x = requireInput(args.inputs, 'x', RELU_GRAD);
      const dys = float32Values(backend, dy);
      const xs = float32Values(backend, x);
      if (!dys || !xs || !tf.util.arraysEqual(dy.shape, x.shape)) {
        throw new Error(`${RELU_GRAD} on onednn: dy and x must be float32 tensors of one shape`);
      }
      const out = outputArray(backend, xs.length);
      ctx.addon.binary(RELU_GRAD_OP, dys, dy.shape, xs, x.shape, out);
      return output(backend, x.shape, out);
    },
  };
}

let registered = false;

/**
 * Replaces tfjs-core's `Relu` gradient, `dy · cast(step(x))` (two passes and an intermediate as large as
 * the activation), with one that runs {@link RELU_GRAD} where the active backend registers it and tfjs's
 * own formula everywhere else. Gradients are global in tfjs, so this is process-wide; the result is the
 * same on every backend.
 */
export function registerReluGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor;
      const [x] = saved as [tf.Tensor];
      const fused =
        g.dtype === 'float32' &&
        x.dtype === 'float32' &&
        tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined;
      return {
        x: () =>
          fused
            ? (tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as tf.Tensor)
            : tf.mul(g, tf.cast(tf.step(x), 'float32')),
      };
    },
  });
}
