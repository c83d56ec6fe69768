/** Options of {@link OneCycleSchedule}; defaults are `torch.optim.lr_scheduler.OneCycleLR`'s. */
export interface OneCycleOptions {
  /** Peak learning rate. */
  maxLearningRate: number;
  /** Number of optimizer steps the cycle spans (epochs × batches per epoch). */
  totalSteps: number;
  /** Fraction of the steps spent rising. Default 0.3. */
  pctStart?: number;
  /** Initial lr = max / divFactor. Default 25. */
  divFactor?: number;
  /** Final lr = initial / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Cycle Adam's β₁ inversely to the learning rate between `baseMomentum` and `maxMomentum`. Default true. */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number;
  /** Default 0.95. */
  maxMomentum?: number;
}

/**
 * One-cycle learning-rate (and momentum) schedule with cosine annealing, stepped once per batch — PyTorch's
 * `OneCycleLR` with `anneal_strategy='cos'`, `three_phase=False`: the lr rises from `max/div` to `max` over
 * the first `pctStart` of the steps, then falls to `max/(div·finalDiv)`.
 */
export class OneCycleSchedule {
  private readonly max: number;
  private readonly initial: number;
  private readonly final: number;
  private readonly riseEnd: number;
  private readonly total: number;
  private readonly cycleMomentum: boolean;
  private readonly baseMomentum: number;
  private readonly maxMomentum: number;

  constructor(options: OneCycleOptions) {
    const { maxLearningRate, totalSteps } = options;
    if (!(maxLearningRate > 0))
      throw new Error(`OneCycleSchedule: maxLearningRate must be > 0, got ${maxLearningRate}.`);
    if (!(Number.isInteger(totalSteps) && totalSteps >= 2)) {
      throw new Error(`OneCycleSchedule: totalSteps must be an integer ≥ 2, got ${totalSteps}.`);
    }
    const pctStart = options.pctStart ?? 0.3;
    if (!(pctStart > 0 && pctStart < 1))
      throw new Error(`OneCycleSchedule: pctStart must be in (0, 1), got ${pctStart}.`);
    this.max = maxLearningRate;
    this.initial = maxLearningRate / (options.divFactor ?? 25);
    this.final = this.initial / (options.finalDivFactor ?? 1e4);
    this.riseEnd = pctStart * totalSteps - 1;
    this.total = totalSteps;
    this.cycleMomentum = options.cycleMomentum ?? true;
    this.baseMomentum = options.baseMomentum ?? 0.85;
    this.maxMomentum = options.maxMomentum ?? 0.95;
  }

  /** Learning rate and β₁ for 0-based optimizer step `step` (clamped to the last step past the end). */
  at(step: number): { learningRate: number; beta1: number } {
    if (!(Number.isInteger(step) && step >= 0))
      throw new Error(`OneCycleSchedule.at: step must be an integer ≥ 0, got ${step}.`);
    const s = Math.min(step, this.total - 1);
    const cos = (start: number, end: number, pct: number) =>
      end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
    let learningRate: number;
    let beta1: number;
    if (s <= this.riseEnd) {
      const pct = this.riseEnd > 0 ? s / this.riseEnd : 1;
      learningRate = cos(this.initial, this.max, pct);
      beta1 = cos(this.maxMomentum, this.baseMomentum, pct);
    } else {
      const pct = (s - this.riseEnd) / (this.total - 1 - this.riseEnd);
      learningRate = cos(this.max, this.final, pct);
      beta1 = cos(this.baseMomentum, this.maxMomentum, pct);
    }
    return { learningRate, beta1: this.cycleMomentum ? beta1 : 0.9 };
  }
}
