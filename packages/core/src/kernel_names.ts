/**
 * The fused-kernel protocol between QAD's layers and optimizer and a backend: kernel names and attribute
 * types, in one module as tfjs-core's `kernel_names.ts`. None is a tfjs kernel; a backend may register any
 * of them (`@qad/backend-onednn` registers all), and each caller runs it only when the active backend does,
 * falling back to its chain of tfjs ops otherwise. Every kernel takes and returns float32 tensors.
 */
import type { NamedTensorInfoMap } from '@tensorflow/tfjs-core';

/** Fused Adam step: inputs `{w, g, m, v}` (same shape), attributes {@link QadAdamUpdateAttrs}, outputs `[w', m', v']`. */
export const QadAdamUpdate = 'QadAdamUpdate';
export type QadAdamUpdateInputs = Pick<NamedTensorInfoMap, 'w' | 'g' | 'm' | 'v'>;
/** Attributes of {@link QadAdamUpdate}: the scalars of one step, computed by the caller. */
export interface QadAdamUpdateAttrs {
  beta1: number;
  beta2: number;
  /** Learning rate over the first bias correction `1 − β₁ᵗ`. */
  lrOverCorrection1: number;
  /** The second bias correction `1 − β₂ᵗ`. */
  correction2: number;
  epsilon: number;
  /** L2 weight decay added to the gradient (`w·λ`), 0 for none. */
  l2Decay: number;
  /** Factor applied to the weights before the update (`1 − lr·λ` for decoupled decay), 1 for none. */
  decoupledFactor: number;
}

/** Swish `x·σ(x)` in one pass: input `{x}`, output `y`. */
export const QadSwish = 'QadSwish';
export type QadSwishInputs = Pick<NamedTensorInfoMap, 'x'>;
/** Swish's input gradient `dy·σ(x)·(1 + x·(1 − σ(x)))` in one pass: inputs `{dy, x}`, output `dx`. */
export const QadSwishGrad = 'QadSwishGrad';
export type QadSwishGradInputs = Pick<NamedTensorInfoMap, 'dy' | 'x'>;

/** ReLU's input gradient `dy · [x > 0]` in one pass: inputs `{dy, x}`, output `dx`. */
export const QadReluGrad = 'QadReluGrad';
export type QadReluGradInputs = Pick<NamedTensorInfoMap, 'dy' | 'x'>;

/**
 * Training-mode batch norm over the last (channel) axis: inputs `{x, gamma, beta}`, attributes
 * {@link QadBatchNormTrainAttrs}, outputs `[y, mean, variance]` (biased variance).
 */
export const QadBatchNormTrainForward = 'QadBatchNormTrainForward';
export type QadBatchNormTrainForwardInputs = Pick<NamedTensorInfoMap, 'x' | 'gamma' | 'beta'>;
/**
 * Its backward pass: inputs `{dy, x, mean, variance, gamma}`, attributes {@link QadBatchNormTrainAttrs},
 * outputs `[dx, dGamma, dBeta]`.
 */
export const QadBatchNormTrainBackward = 'QadBatchNormTrainBackward';
export type QadBatchNormTrainBackwardInputs = Pick<
  NamedTensorInfoMap,
  'dy' | 'x' | 'mean' | 'variance' | 'gamma'
>;
/** Attributes of both batch-norm kernels. */
export interface QadBatchNormTrainAttrs {
  epsilon: number;
}

/** Every kernel name of the protocol. */
export const QAD_KERNEL_NAMES = [
  QadAdamUpdate,
  QadSwish,
  QadSwishGrad,
  QadReluGrad,
  QadBatchNormTrainForward,
  QadBatchNormTrainBackward,
] as const;

/** One kernel name of the protocol. */
export type QadKernelName = (typeof QAD_KERNEL_NAMES)[number];
