/** Thrown when the training loss is NaN or infinite: names the step and the batch so the run can be inspected. */
export class NonFiniteLossError extends Error {
  constructor(
    /** 0-based optimizer step at which the loss diverged (no update was applied for it). */
    readonly step: number,
    /** The loss value (NaN or ±Infinity). */
    readonly loss: number,
    /** Sample indices (into the training split) of the batch. */
    readonly sampleIndices: readonly number[],
    /** Which loss term went non-finite first, if known. */
    readonly term: string,
  ) {
    super(
      `Training loss became ${loss} at step ${step} (term: ${term}); batch samples [${sampleIndices
        .slice(0, 16)
        .join(
          ', ',
        )}${sampleIndices.length > 16 ? ', …' : ''}]. No update was applied for this batch; the last ` +
        'good checkpoint is kept. Lower the learning rate or α, or check the batch for corrupt images.',
    );
    this.name = 'NonFiniteLossError';
  }
}
