import type { Label, Split } from './split';

/**
 * Frame-level paired index of one split: entry `i` of every quality's list is the same frame (the same face
 * crop at another quality), with label `labels[i]` and source video `videos[i]`. The contract between data
 * preparation (which writes it) and the paired loader (which reads it).
 */
export interface PairedSplit {
  readonly frames: Readonly<Record<string, readonly string[]>>;
  readonly labels: readonly Label[];
  readonly videos: readonly string[];
}

/** A paired index for every split. */
export type PairedIndex = Readonly<Record<Split, PairedSplit>>;
