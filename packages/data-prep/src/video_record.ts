import type { Label, Split } from '@qad/core';

/** One video of a data set: its label, split, and one file per quality (all the same frames). */
export interface VideoRecord {
  /** Unique id inside the data set, for instance `original/youtube/000` or `Deepfakes/000_003`. */
  readonly id: string;
  readonly label: Label;
  readonly split: Split;
  /** Manipulation method (`original` for real videos); used for per-method reports. */
  readonly method: string;
  /** Absolute path of the video file at each quality the data set provides. */
  readonly paths: Readonly<Record<string, string>>;
}
