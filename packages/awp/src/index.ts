export { AdversarialWeightPerturbation } from './adversarial_weight_perturbation';
export { crossEntropyAscent, meanCrossEntropy } from './cross_entropy';
export { freeTapeOnThrow } from './free_tape_on_throw';
export type { AwpOptions, WeightSelector } from './options';
export type { Perturbation, PerturbationEntry, PerturbationNorm } from './perturbation';
export { klAscent, type QualityKlOptions, qualityKlDivergence } from './quality_kl';
export { stopGradient } from './stop_gradient';
export type { AwpTarget, LayersModelLike, LayerVariableLike, WeightInfo } from './target';
