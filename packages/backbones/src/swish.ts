import { QadSwish, QadSwishGrad } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * A backend may register kernels under these names that compute swish (`{x}` → `x·σ(x)`) and its input
 * gradient (`{dy, x}` → `dy·σ(x)·(1 + x·(1 − σ(x)))`) in one pass each (`@qad/backend-onednn` does);
 * {@link swish} then uses them instead of its chain of ops.
 */
export const SWISH_KERNELS = { forward: QadSwish, backward: QadSwishGrad } as const;

function backendFusesSwish(x: tf.Tensor): boolean {
  const backend = tf.getBackend();
  return (
    x.dtype === 'float32' &&
    tf.getKernel(SWISH_KERNELS.forward, backend) !== undefined &&
    tf.getKernel(SWISH_KERNELS.backward, backend) !== undefined
  );
}

/**
 * Swish / SiLU, `x·σ(x)`, as one op with its closed-form gradient `σ(x)·(1 + x·(1 − σ(x)))`: tfjs-layers'
 * `'swish'` activation is `σ(x·1)·x`, whose taped gradient takes six passes over the activation and keeps
 * two intermediates; this keeps only `x`.
 */
export function swish(x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    const fused = backendFusesSwish(input);
    return {
      value: fused
        ? (tf.engine().runKernel(SWISH_KERNELS.forward, { x: input }) as tf.Tensor)
        : tf.mul(tf.sigmoid(input), input),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs] = saved as [tf.Tensor];
        if (fused) return tf.engine().runKernel(SWISH_KERNELS.backward, { dy, x: xs }) as tf.Tensor;
        const s = tf.sigmoid(xs);
        return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(xs, tf.sub(1, s)))));
      },
    };
  });
  return op(x) as tf.Tensor;
}

/** A weightless layer applying {@link swish}; what EfficientNet's activations are. */
export class Swish extends tfl.layers.Layer {
  /** Serialisation name; registered by `registerBackboneLayers`. */
  static className = 'QadSwish';

  constructor(args: { name?: string } = {}) {
    super(args.name === undefined ? {} : { name: args.name });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return swish(Array.isArray(inputs) ? inputs[0]! : inputs);
  }
}
