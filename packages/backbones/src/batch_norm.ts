import { type QadBatchNormTrainAttrs, QadBatchNormTrainBackward, QadBatchNormTrainForward } from '@qad/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** tfjs-layers' BatchNormalization class (its package exports only the factory function). */
const BatchNormalizationBase = Object.getPrototypeOf(tfl.layers.batchNormalization({})).constructor as new (
  args: BatchNormArgs,
) => tfl.layers.Layer;

/** Constructor arguments of {@link LeanBatchNormalization}: those of `tf.layers.batchNormalization`. */
export type BatchNormArgs = NonNullable<Parameters<typeof tfl.layers.batchNormalization>[0]>;

/** The fields of tfjs-layers' BatchNormalization this layer reads (private in its typings). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tfl.LayerVariable;
  beta: tfl.LayerVariable;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
}

/**
 * A backend may register kernels under these names that run {@link batchNormTraining}'s forward
 * (`{x, gamma, beta}`, attribute `epsilon` → `[y, mean, variance]`) and backward (`{dy, x, mean, variance,
 * gamma}` → `[dx, dGamma, dBeta]`) in a few passes (`@qad/backend-onednn` does); the layer then uses them
 * instead of its chain of ops.
 */
export const BATCH_NORM_TRAIN_KERNELS = {
  forward: QadBatchNormTrainForward,
  backward: QadBatchNormTrainBackward,
} as const;

function backendFusesBatchNorm(tensors: tf.Tensor[]): boolean {
  const backend = tf.getBackend();
  return (
    tensors.every((t) => t.dtype === 'float32') &&
    tf.getKernel(BATCH_NORM_TRAIN_KERNELS.forward, backend) !== undefined &&
    tf.getKernel(BATCH_NORM_TRAIN_KERNELS.backward, backend) !== undefined
  );
}

/**
 * The batch norm of training mode over NHWC's channel axis as one op with a closed-form gradient:
 * `y = γ·x̂ + β`, `x̂ = (x − μ)/√(σ² + ε)` over the batch and spatial axes, and
 * `dx = γ/√(σ² + ε) · (dy − mean(dy) − x̂·mean(dy·x̂))`, `dγ = Σ dy·x̂`, `dβ = Σ dy`.
 * tfjs-layers builds the same function from `moments` and `batchNorm`, whose taped gradient takes about 30
 * passes over the activation and keeps several activation-sized intermediates; this one takes 11 passes
 * (4 forward, 7 backward) and keeps only its input.
 *
 * @returns `[y, mean, variance]` (the biased batch variance, as tfjs-layers uses for its moving average).
 *   `mean` and `variance` are kept out of any enclosing `tf.tidy`: the caller disposes them.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const axes = [...Array(x.rank - 1).keys()];
  const { forward, backward } = BATCH_NORM_TRAIN_KERNELS;
  let stats: [tf.Tensor, tf.Tensor] | undefined;
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const fused = backendFusesBatchNorm([input, g, b]);
    let y: tf.Tensor;
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (fused) {
      [y, mean, variance] = tf.engine().runKernel(forward, { x: input, gamma: g, beta: b }, {
        epsilon,
      } satisfies QadBatchNormTrainAttrs) as [tf.Tensor, tf.Tensor, tf.Tensor];
    } else {
      mean = tf.mean(input, axes);
      variance = tf.mean(tf.squaredDifference(input, mean), axes);
      y = tf.batchNorm(input, mean, variance, b, g, epsilon);
    }
    save([input, mean, variance, g]);
    stats = [tf.keep(mean.clone()), tf.keep(variance.clone())];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, m, v, gs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        if (fused) {
          return tf.engine().runKernel(backward, { dy, x: xs, mean: m, variance: v, gamma: gs }, {
            epsilon,
          } satisfies QadBatchNormTrainAttrs) as tf.Tensor[];
        }
        const count = xs.size / m.size;
        const xhat = tf.batchNorm(xs, m, v, undefined, undefined, epsilon);
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, xhat), axes);
        // dx = dy·a + (x − μ)·b/√(σ²+ε) + c with per-channel a = γ/√(σ²+ε), b = −a·dγ/N, c = −a·dβ/N: the
        // second and third terms are one batchNorm pass over x.
        const a = tf.mul(gs, tf.rsqrt(tf.add(v, epsilon)));
        const b2 = tf.mul(a, tf.div(dGamma, -count));
        const c = tf.mul(a, tf.div(dBeta, -count));
        const dx = tf.add(tf.mul(dy, a), tf.batchNorm(xs, m, v, c, b2, epsilon));
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  const [mean, variance] = stats!;
  return [y, mean, variance];
}

/**
 * `tf.layers.batchNormalization` whose training-mode call is {@link batchNormTraining}: same weights, same
 * moving-average update, same outputs to float32 rounding, and the same class name, so a saved model loads
 * as a plain tfjs-layers BatchNormalization. Inference, and any configuration other than a scaled and
 * centred norm over the last axis, is the parent's code.
 */
export class LeanBatchNormalization extends BatchNormalizationBase {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { [key: string]: unknown }): tf.Tensor {
    const me = this as unknown as BatchNormFields;
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const lastAxis = me.axis === -1 || me.axis === input.rank - 1;
    if (!kwargs.training || !lastAxis || !me.center || !me.scale || input.rank < 2) {
      return super.call(inputs, kwargs) as tf.Tensor;
    }
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTraining(input, me.gamma.read(), me.beta.read(), me.epsilon);
      // tfjs-layers' update, to the bit: moving ← moving − (moving − batch)·(1 − momentum).
      for (const [variable, value] of [
        [me.movingMean, mean],
        [me.movingVariance, variance],
      ] as const) {
        const old = variable.read();
        variable.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - me.momentum)));
      }
      tf.dispose([mean, variance]);
      return y;
    });
  }
}
