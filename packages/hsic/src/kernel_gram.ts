import type * as tf from '@tensorflow/tfjs-core';
import { gaussianGram } from './gaussian_gram';
import { laplaceGram } from './laplace_gram';
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

/** Gram matrix of a batch under a kernel chosen by name. */
export function kernelGram(x: tf.Tensor, spec: KernelSpec): tf.Tensor2D {
  if (spec.kernel === 'linear') return linearGram(x);
  const sigma = spec.sigma === 'median' ? medianHeuristicSigma(x) : spec.sigma;
  if (spec.kernel === 'gaussian') return gaussianGram(x, { sigma, scaleByDim: spec.scaleByDim });
  if (spec.kernel === 'laplace') return laplaceGram(x, { sigma, scaleByDim: spec.scaleByDim });
  throw new Error(`Unknown kernel '${String(spec.kernel)}': expected 'gaussian', 'linear' or 'laplace'.`);
}
