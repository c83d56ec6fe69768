/**
 * tfjs fused-activation names → the addon's oneDNN post-op codes. `prelu` (which needs a weight tensor)
 * is absent: kernels hand it to the cpu backend.
 */
export const ACTIVATION_CODES: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 3,
  elu: 4,
  sigmoid: 5,
};

/** tfjs's default `leakyreluAlpha`. */
export const DEFAULT_LEAKYRELU_ALPHA = 0.2;
