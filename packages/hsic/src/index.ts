// The M-block layout is @qad/core's; re-exported so that a model adopting HSIC alone needs one import.
export { splitQualityBlocks, type TapFeatures } from '@qad/core';
export { centerLoss } from './center_loss';
export { cka, ckaEstimator } from './cka';
export {
  type CollaborativeLossOptions,
  type CollaborativePreset,
  collaborativeLoss,
} from './collaborative_loss';
export { pairEstimator } from './estimators';
export { gaussianGram } from './gaussian_gram';
export { hsic } from './hsic';
export { biasedEstimator, hsicBiased } from './hsic_biased';
export { hsicNocco, noccoEstimator } from './hsic_nocco';
export { hsicUnbiased, unbiasedEstimator } from './hsic_unbiased';
export { type KernelSpec, kernelGram } from './kernel_gram';
export { laplaceGram } from './laplace_gram';
export { linearGram } from './linear_gram';
export { matrixInverse } from './matrix_inverse';
export { medianHeuristicSigma } from './median_heuristic';
export type {
  EstimatorName,
  GaussianGramOptions,
  HsicOptions,
  KernelName,
  LaplaceGramOptions,
  NoccoOptions,
  ValidationOptions,
} from './options';
export { estimateOnGrams, type PairEstimator } from './pair_estimator';
export { pairwiseLoss } from './pairwise_loss';
export { type RffHsicOptions, rffHsic } from './rff_hsic';
export { softLabelLoss } from './soft_label_loss';
export { QAD_TAP_WEIGHTS, tapWeightsFor } from './tap_weights';
