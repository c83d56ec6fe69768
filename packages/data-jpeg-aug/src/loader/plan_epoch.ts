import type { Quality, Rng } from '@qad/core';
import type { Transform } from '../transforms/transform';

/** The random decisions of one batch, drawn before any image is decoded. */
export interface BatchPlan {
  /** Indices into the split of the batch's samples, in block order. */
  readonly samples: readonly number[];
  /** The augmentation's parameters for sample `j` — one draw shared by all its qualities. */
  readonly augmentations: readonly unknown[];
  /** Quality of each block, in block order. */
  readonly qualities: readonly Quality[];
}

/** Options of {@link planEpoch}. */
export interface PlanEpochOptions {
  readonly numSamples: number;
  readonly batchSize: number;
  readonly qualities: readonly Quality[];
  readonly shuffle: boolean;
  readonly shuffleQualities: boolean;
  /** The per-sample augmentation whose `draw` is called once per sample, in sample order. */
  readonly augment: Pick<Transform, 'draw'>;
  readonly dropLast: boolean;
}

/**
 * Draws every random decision of one epoch from `rng`, in a fixed order: the sample permutation (when
 * shuffling), then per batch `B` augmentation draws and, when shuffling qualities, one shuffle of the `M`
 * qualities. The number of values consumed depends only on the options, so replaying a plan from the
 * generator's state at the start of the epoch reproduces it exactly — this is what makes resume cheap.
 */
export function planEpoch(rng: Rng, options: PlanEpochOptions): BatchPlan[] {
  const { numSamples, batchSize, qualities } = options;
  const indices = Array.from({ length: numSamples }, (_, i) => i);
  const order = options.shuffle ? rng.shuffle(indices) : indices;
  const batches: BatchPlan[] = [];
  for (let start = 0; start < numSamples; start += batchSize) {
    const samples = order.slice(start, start + batchSize);
    if (samples.length < batchSize && options.dropLast) break;
    const augmentations = samples.map(() => options.augment.draw(rng));
    const blockOrder = options.shuffleQualities ? rng.shuffle(qualities) : qualities.slice();
    batches.push({ samples, augmentations, qualities: blockOrder });
  }
  return batches;
}

/** Number of batches {@link planEpoch} makes per epoch. */
export function batchesPerEpoch(numSamples: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(numSamples / batchSize) : Math.ceil(numSamples / batchSize);
}
