import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';

/**
 * A quality modality. FaceForensics++ ships `raw` (lossless), `c23` and `c40` (libx264 at constant rate
 * factor 23 / 40); other names (for instance `jpeg`) are allowed for user-defined modalities.
 */
export type Quality = 'raw' | 'c23' | 'c40' | (string & {});

/** The three FaceForensics++ qualities, in the paper's order. */
export const FFPP_QUALITIES: readonly Quality[] = ['raw', 'c23', 'c40'];

/** Data-set split names. */
export type Split = 'train' | 'val' | 'test';

/** The three splits, in order. */
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

/** Class label: `0` = real, `1` = fake (the authors' convention; Celeb-DF's list file is inverted on read). */
export type Label = 0 | 1;

/** Interleaved 8-bit RGB pixels, row-major (`height × width × 3`). */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

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

/**
 * Frame-level paired index of one split: entry `i` of every quality's list is the same frame (the same face
 * crop at another quality), with label `labels[i]` and source video `videos[i]`.
 */
export interface PairedSplit {
  readonly frames: Readonly<Record<string, readonly string[]>>;
  readonly labels: readonly Label[];
  readonly videos: readonly string[];
}

/** A paired index for every split. */
export type PairedIndex = Readonly<Record<Split, PairedSplit>>;

/**
 * One mini-batch of `M` qualities × `B` samples, laid out as `M` consecutive blocks of `B` images (the same
 * samples in the same order in every block), in the block order given by `qualities`.
 */
export interface PairedBatch {
  /** `[M·B, H, W, 3]` float32, normalised. Owned by the batch: freed by {@link PairedBatch.dispose}. */
  readonly images: Tensor4D;
  /** `[M·B]` int32 labels, the same `B` labels repeated per block. Owned by the batch. */
  readonly labels: Tensor1D;
  /** Quality of each block, in block order (shuffled per batch when the loader is asked to). */
  readonly qualities: readonly Quality[];
  /** `B`: samples per quality block. */
  readonly batchSize: number;
  /** Indices into the split of the `B` samples, in block order. */
  readonly sampleIndices: readonly number[];
  /** Frees `images` and `labels`. Idempotent. */
  dispose(): void;
}
