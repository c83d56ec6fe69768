export { AdversarialWeightPerturbation } from './adversarial_weight_perturbation';
export { crossEntropyAscent } from './cross_entropy_ascent';
export { freeTapeOnThrow, meanCrossEntropy, stopGradient } from './deprecated';
export type { AwpOptions, WeightSelector } from './options';
export type { Perturbation, PerturbationEntry, PerturbationNorm } from './perturbation';
export { klAscent, type QualityKlOptions, qualityKlDivergence } from './quality_kl';
export type { AwpTarget, LayersModelLike, LayerVariableLike, WeightInfo } from './target';
