import { QadBatchNormTrainBackward, QadBatchNormTrainForward } from '@qad/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/**
 * Names of the fused training-mode batch-norm kernels. Not tfjs kernels: a protocol between a backend and
 * a layer (`@qad/backbones`' `LeanBatchNormalization` runs them when the active backend registers both, and
 * its chain of ops otherwise). Channels are the last axis.
 * - forward: inputs `{x, gamma, beta}`, attribute `epsilon` → `[y, mean, variance]` (biased variance);
 * - backward: inputs `{dy, x, mean, variance, gamma}`, attribute `epsilon` → `[dx, dGamma, dBeta]`.
 */
export const BATCH_NORM_TRAIN_FORWARD = QadBatchNormTrainForward;
/** See {@link BATCH_NORM_TRAIN_FORWARD}. */
export const BATCH_NORM_TRAIN_BACKWARD = QadBatchNormTrainBackward;

function float32Inputs(
  backend: MathBackendCPU,
  inputs: tf.NamedTensorInfoMap,
  names: readonly string[],
  kernel: string,
): { tensors: tf.TensorInfo[]; arrays: Float32Array[] } {
  const tensors = names.map((n) => requireInput(inputs, n, kernel));
  const arrays = tensors.map((t, i) => {
    const values = float32Values(backend, t);
    if (!values) throw new Error(`${kernel} on onednn: ${names[i]} must be float32, got ${t.dtype}`);
    return values;
  });
  return { tensors, arrays };
}

function requireChannels(x: tf.TensorInfo, channels: number, kernel: string): void {
  const last = x.shape[x.shape.length - 1];
  if (x.shape.length < 2 || last !== channels) {
    throw new Error(
      `${kernel} on onednn: x has shape [${x.shape.join(', ')}], expected rank ≥ 2 with ${channels} channels last`,
    );
  }
}

/** {@link BATCH_NORM_TRAIN_FORWARD}: three passes over x (mean, variance, normalise). */
export function batchNormTrainForward(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAIN_FORWARD,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { tensors, arrays } = float32Inputs(
        backend,
        args.inputs,
        ['x', 'gamma', 'beta'],
        BATCH_NORM_TRAIN_FORWARD,
      );
      const [x, gamma] = tensors as [tf.TensorInfo, tf.TensorInfo];
      const channels = arrays[1]!.length;
      requireChannels(x, channels, BATCH_NORM_TRAIN_FORWARD);
      const { epsilon } = args.attrs as { epsilon: number };
      const y = outputArray(backend, arrays[0]!.length);
      const mean = outputArray(backend, channels);
      const variance = outputArray(backend, channels);
      ctx.addon.batchNormTrainForward(arrays[0]!, arrays[1]!, arrays[2]!, y, mean, variance, epsilon);
      return [
        output(backend, x.shape, y),
        output(backend, gamma.shape, mean),
        output(backend, gamma.shape, variance),
      ] as unknown as tf.TensorInfo;
    },
  };
}

/** {@link BATCH_NORM_TRAIN_BACKWARD}: two passes (the channel sums, then dx). */
export function batchNormTrainBackward(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAIN_BACKWARD,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { tensors, arrays } = float32Inputs(
        backend,
        args.inputs,
        ['dy', 'x', 'mean', 'variance', 'gamma'],
        BATCH_NORM_TRAIN_BACKWARD,
      );
      const [dy, x, , , gamma] = tensors as [
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
      ];
      const channels = arrays[4]!.length;
      requireChannels(x, channels, BATCH_NORM_TRAIN_BACKWARD);
      if (dy.shape.join() !== x.shape.join()) {
        throw new Error(
          `${BATCH_NORM_TRAIN_BACKWARD} on onednn: dy has shape [${dy.shape.join(', ')}], expected [${x.shape.join(', ')}]`,
        );
      }
      const { epsilon } = args.attrs as { epsilon: number };
      const dx = outputArray(backend, arrays[1]!.length);
      const dGamma = outputArray(backend, channels);
      const dBeta = outputArray(backend, channels);
      ctx.addon.batchNormTrainBackward(
        arrays[0]!,
        arrays[1]!,
        arrays[2]!,
        arrays[3]!,
        arrays[4]!,
        dx,
        dGamma,
        dBeta,
        epsilon,
      );
      return [
        output(backend, x.shape, dx),
        output(backend, gamma.shape, dGamma),
        output(backend, gamma.shape, dBeta),
      ] as unknown as tf.TensorInfo;
    },
  };
}
