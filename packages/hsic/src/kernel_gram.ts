import type * as tf from '@tensorflow/tfjs-core';
import { gaussianGram, gaussianGramMinusOne } from './gaussian_gram';
import { laplaceGram, laplaceGramMinusOne } from './laplace_gram';
import { linearGram } from './linear_gram';
import { medianHeuristicSigma } from './median_heuristic';
import type { KernelName } from './options';

/** Which kernel builds a Gram matrix, and with which bandwidth. */
export interface KernelSpec {
  kernel: KernelName;
  /** Bandwidth, or `'median'` for {@link medianHeuristicSigma} of the input. Ignored by the linear kernel. */
  sigma: number | 'median';
  scaleByDim: boolean;
}

/**
 * Gram matrix of a batch under a kernel chosen by name.
 *
 * @param upToConstant - the caller only needs K up to an added constant matrix c·11ᵀ (estimators that centre
 *   K): exponential kernels then return `K − 11ᵀ`, which float32 holds far more precisely. Default false.
 */
export function kernelGram(x: tf.Tensor, spec: KernelSpec, upToConstant = false): tf.Tensor2D {
  if (spec.kernel === 'linear') return linearGram(x);
  const sigma = spec.sigma === 'median' ? medianHeuristicSigma(x) : spec.sigma;
  const options = { sigma, scaleByDim: spec.scaleByDim };
  if (spec.kernel === 'gaussian')
    return upToConstant ? gaussianGramMinusOne(x, options) : gaussianGram(x, options);
  if (spec.kernel === 'laplace')
    return upToConstant ? laplaceGramMinusOne(x, options) : laplaceGram(x, options);
  throw new Error(`Unknown kernel '${String(spec.kernel)}': expected 'gaussian', 'linear' or 'laplace'.`);
}
