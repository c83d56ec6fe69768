import { QadAdamUpdate, type QadAdamUpdateAttrs } from '@qad/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '@tensorflow/tfjs-core';
import { float32Values, type KernelContext, output, outputArray, requireInput } from '../kernel_support';

/**
 * Name of the fused Adam kernel. Not a tfjs kernel: a protocol between a backend and an optimizer
 * (`@qad/trainer`'s `Adam` runs it when the active backend registers it, and its chain of ops otherwise).
 * Inputs `{w, g, m, v}` (float32, same shape); attributes as {@link AdamUpdateAttrs}; outputs
 * `[w', m', v']`.
 */
export const ADAM_UPDATE = QadAdamUpdate;

/** Attributes of {@link ADAM_UPDATE}: the scalars of one step, computed by the caller. */
export type AdamUpdateAttrs = QadAdamUpdateAttrs;

/** {@link ADAM_UPDATE} in one native pass (reads 4 arrays, writes 3) instead of about twelve. */
export function adamUpdate(ctx: KernelContext): tf.KernelConfig {
  return {
    kernelName: ADAM_UPDATE,
    backendName: ctx.backendName,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const names = ['w', 'g', 'm', 'v'] as const;
      const tensors = names.map((n) => requireInput(args.inputs, n, ADAM_UPDATE));
      const arrays = tensors.map((t) => float32Values(backend, t));
      const shape = tensors[0]!.shape;
      tensors.forEach((t, i) => {
        if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
          throw new Error(
            `${ADAM_UPDATE} on onednn: ${names[i]} has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`,
          );
        }
        if (!arrays[i])
          throw new Error(`${ADAM_UPDATE} on onednn: ${names[i]} must be float32, got ${t.dtype}`);
      });
      const a = args.attrs as unknown as AdamUpdateAttrs;
      const n = arrays[0]!.length;
      const out = [outputArray(backend, n), outputArray(backend, n), outputArray(backend, n)] as const;
      ctx.addon.adamUpdate(arrays[0]!, arrays[1]!, arrays[2]!, arrays[3]!, out[0], out[1], out[2], [
        a.beta1,
        1 - a.beta1,
        a.beta2,
        1 - a.beta2,
        a.lrOverCorrection1,
        a.correction2,
        a.epsilon,
        a.l2Decay,
        a.decoupledFactor,
      ]);
      return out.map((values) => output(backend, shape, values)) as unknown as tf.TensorInfo;
    },
  };
}
