import type { Quality, Split } from '@qad/core';
import type { VideoRecord } from '../video_record';

/** A video-level data set: its records per split, as produced by every adapter of this module. */
export interface VideoDataset {
  /** Adapter name, used as the prefix of every error (`'FaceForensics++'`, `'Celeb-DF v2'`, …). */
  readonly name: string;
  /** Absolute root folder the data set was read from. */
  readonly root: string;
  /** Qualities every record has a file for, in order (`raw` first). */
  readonly qualities: readonly Quality[];
  /** The records of each split, in a deterministic order (originals first, then fakes by method, by id). */
  readonly splits: Readonly<Record<Split, readonly VideoRecord[]>>;
  /**
   * Videos left out because a quality variant was missing (only with `onMissing: 'skip'`; otherwise a
   * missing file is an error). Empty when nothing was skipped.
   */
  readonly skipped: readonly SkippedVideo[];
}

/** A video left out of a {@link VideoDataset} because one of its quality variants is not on disk. */
export interface SkippedVideo {
  readonly id: string;
  readonly split: Split;
  /** First missing quality. */
  readonly quality: Quality;
  /** The file that was expected for that quality. */
  readonly path: string;
}

/**
 * What an adapter does when a video lacks one of the requested quality variants: `'error'` (default) throws
 * an error naming the missing file; `'skip'` leaves the whole video out and records it in
 * {@link VideoDataset.skipped}.
 */
export type MissingPolicy = 'error' | 'skip';
