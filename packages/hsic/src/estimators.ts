import { ckaEstimator } from './cka';
import { biasedEstimator } from './hsic_biased';
import { noccoEstimator } from './hsic_nocco';
import { unbiasedEstimator } from './hsic_unbiased';
import type { EstimatorName } from './options';
import type { PairEstimator } from './pair_estimator';

/** The {@link PairEstimator} registered under `name`. */
export function pairEstimator(name: EstimatorName, options: { epsilon?: number } = {}): PairEstimator {
  switch (name) {
    case 'biased':
      return biasedEstimator;
    case 'unbiased':
      return unbiasedEstimator;
    case 'cka':
      return ckaEstimator;
    case 'nocco':
      return noccoEstimator(options.epsilon);
    default:
      throw new Error(
        `Unknown estimator '${String(name)}': expected 'biased', 'unbiased', 'cka' or 'nocco'.`,
      );
  }
}
