/**
 * Growable store of validated samples for the streaming ranking metrics. Capacity doubles, so n appends cost
 * O(n) copies in total, and the data stay in typed arrays that feed the curve builder without conversion.
 */
export class SampleBuffer {
  private labelData = new Uint8Array(0);
  private scoreData = new Float64Array(0);
  private size = 0;

  /** Number of samples held. */
  get length(): number {
    return this.size;
  }

  /** Views (not copies) of the samples held; valid until the next append or clear. */
  get labels(): Uint8Array {
    return this.labelData.subarray(0, this.size);
  }

  /** See {@link SampleBuffer.labels}. */
  get scores(): Float64Array {
    return this.scoreData.subarray(0, this.size);
  }

  /** Copies one batch in after the samples already held. */
  append(labels: Uint8Array, scores: Float64Array): void {
    const needed = this.size + labels.length;
    if (needed > this.labelData.length) {
      const capacity = Math.max(needed, 2 * this.labelData.length, 1024);
      const nextLabels = new Uint8Array(capacity);
      const nextScores = new Float64Array(capacity);
      nextLabels.set(this.labels);
      nextScores.set(this.scores);
      this.labelData = nextLabels;
      this.scoreData = nextScores;
    }
    this.labelData.set(labels, this.size);
    this.scoreData.set(scores, this.size);
    this.size = needed;
  }

  /** Drops the samples and releases the memory. */
  clear(): void {
    this.labelData = new Uint8Array(0);
    this.scoreData = new Float64Array(0);
    this.size = 0;
  }
}
