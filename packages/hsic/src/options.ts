/** Kernels that turn a batch of features into a Gram matrix. */
export type KernelName = 'gaussian' | 'linear' | 'laplace';

/** HSIC-family estimators on two Gram matrices. */
export type EstimatorName = 'biased' | 'unbiased' | 'cka' | 'nocco';

/** Options of {@link gaussianGram}. */
export interface GaussianGramOptions {
  /** Bandwidth σ > 0 of `exp(−‖x_i − x_j‖² / (2σ²))`. Default 6 (the paper's value). */
  sigma?: number;
  /**
   * Divide the exponent by the flattened feature size d as well, `exp(−‖x_i − x_j‖² / (2σ²·d))`:
   * the authors' released form, which keeps one σ meaningful across layers of different sizes. Default false.
   */
  scaleByDim?: boolean;
}

/** Options of {@link laplaceGram}. */
export interface LaplaceGramOptions {
  /** Bandwidth σ > 0 of `exp(−‖x_i − x_j‖ / σ)`. Default 6. */
  sigma?: number;
  /** Divide the exponent by √d, the Laplace analogue of {@link GaussianGramOptions.scaleByDim}. Default false. */
  scaleByDim?: boolean;
}

/** Options shared by every estimator that validates its inputs. */
export interface ValidationOptions {
  /**
   * Check inputs for NaN/Infinity (one boolean read back from the backend per input).
   * Default true; switch off in hot loops on an accelerator once the pipeline is known to be sound.
   */
  validate?: boolean;
}

/** Options of {@link hsicNocco}. */
export interface NoccoOptions extends ValidationOptions {
  /** Ridge ε of `R = K_c (K_c + ε·n·I)⁻¹`. Default 1e-5 (the authors' value). */
  epsilon?: number;
}

/** Options of {@link hsic}, the convenience function on features. */
export interface HsicOptions extends ValidationOptions {
  /** Default `'biased'` (paper Eq. 8). */
  estimator?: EstimatorName;
  /** Default `'gaussian'`. */
  kernel?: KernelName;
  /** Kernel bandwidth for the Gaussian and Laplace kernels. Default 6; `'median'` uses {@link medianHeuristicSigma} per input. */
  sigma?: number | 'median';
  /** See {@link GaussianGramOptions.scaleByDim}. Default false. */
  scaleByDim?: boolean;
  /** NOCCO ridge, see {@link NoccoOptions.epsilon}. Default 1e-5. */
  epsilon?: number;
}
