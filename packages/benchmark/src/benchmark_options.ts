import type { Quality, Split } from '@qad/core';

/** Fake-making methods of the generated benchmark. */
export type BenchmarkMethod = 'SelfBlend' | 'FaceSwap';

/** All benchmark methods, in their default order. */
export const BENCHMARK_METHODS: readonly BenchmarkMethod[] = ['SelfBlend', 'FaceSwap'];

/** Named benchmark sizes. */
export type BenchmarkSize = 'small' | 'medium' | 'large';

/** Number of identity pairs per split (each pair = 2 real videos and 2 fakes per method). */
export type BenchmarkPairs = Readonly<Record<Split, number>>;

/** What a named size means. */
export interface BenchmarkPreset {
  readonly pairs: BenchmarkPairs;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The named sizes: `small` (12 identities, 6 pairs split 4/1/1, 16 frames of 96×96; seconds), `medium` (100
 * identities, 50 pairs 36/7/7 — FF++'s 72/14/14 % split —, 32 frames of 128×128; minutes), `large` (FF++'s
 * own 1000 identities, 500 pairs 360/70/70, 32 frames of 256×256; hours on a laptop).
 */
export const BENCHMARK_SIZES: Readonly<Record<BenchmarkSize, BenchmarkPreset>> = {
  small: { pairs: { train: 4, val: 1, test: 1 }, frames: 16, width: 96, height: 96 },
  medium: { pairs: { train: 36, val: 7, test: 7 }, frames: 32, width: 128, height: 128 },
  large: { pairs: { train: 360, val: 70, test: 70 }, frames: 32, width: 256, height: 256 },
};

/** The FF++ qualities and their libx264 CRF: `raw` is lossless (CRF 0), `c23` and `c40` are transcoded from it. */
export const BENCHMARK_QUALITIES: Readonly<Record<Quality, number>> = { raw: 0, c23: 23, c40: 40 };

/** Progress report of {@link makeBenchmark}, once per written video file. */
export interface BenchmarkProgress {
  /** Files written so far (all qualities counted). */
  readonly done: number;
  /** Files to write in all. */
  readonly total: number;
  /** The file just written, relative to `outDir`. */
  readonly file: string;
}

/** Options of {@link makeBenchmark}. */
export interface MakeBenchmarkOptions {
  /** Root of the data set to write (FF++ layout). Must be empty or absent unless `overwrite`. */
  readonly outDir: string;
  /** A named size, or explicit pair counts per split. Default `'small'`. */
  readonly size?: BenchmarkSize | BenchmarkPairs;
  /** Seed of everything random (identities, motion, pairs, fake parameters). Default `0`. */
  readonly seed?: number;
  /**
   * User images or videos used as backgrounds (identity `i` gets `sources[i % n]`); faces stay synthetic, so
   * their ground-truth boxes are known. Images are cropped to the frame's aspect ratio and panned across;
   * videos are sampled evenly and stretched to the frame size. Default: synthetic textured backgrounds.
   */
  readonly sources?: readonly string[];
  /** Fake methods, each written to `manipulated_sequences/<method>/`. Default both, SelfBlend first. */
  readonly methods?: readonly BenchmarkMethod[];
  /** Frames per video (overrides the size's). */
  readonly frames?: number;
  /** Frame size in px, square or `{ width, height }`, even (overrides the size's). */
  readonly resolution?: number | { readonly width: number; readonly height: number };
  /**
   * Artefact strength in [0, 2], one for all methods or per method. `0` = the fake equals its original; the
   * visibility of the artefact grows monotonically with it (see `selfBlendFrame`, `faceSwapFrame`). Default 1.
   */
  readonly strength?: number | Readonly<Partial<Record<BenchmarkMethod, number>>>;
  /**
   * Quality folders and their libx264 CRF; the first is encoded from the frames, the others transcoded from
   * it (as FF++ made c23/c40 from raw). Default {@link BENCHMARK_QUALITIES}.
   */
  readonly qualities?: Readonly<Partial<Record<Quality, number>>>;
  /** Frame rate of the videos. Default 30. */
  readonly fps?: number;
  /** libx264 preset. Default `'medium'` (x264's default, as FF++). */
  readonly preset?: string;
  /** ffmpeg processes run at once. Default 2. */
  readonly concurrency?: number;
  /** Replace the benchmark files already in `outDir` (others are left alone). Default `false`. */
  readonly overwrite?: boolean;
  /** ffmpeg binary (see `resolveFfmpeg`). */
  readonly ffmpegPath?: string;
  /** Called after each video file is written. */
  readonly onProgress?: (progress: BenchmarkProgress) => void;
}

/** What {@link makeBenchmark} wrote. */
export interface BenchmarkResult {
  readonly outDir: string;
  /** Identity pairs of each split, as in `splits/<split>.json`. */
  readonly pairs: Readonly<Record<Split, ReadonlyArray<readonly [string, string]>>>;
  readonly methods: readonly BenchmarkMethod[];
  readonly qualities: readonly Quality[];
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  /** Video files written (all qualities). */
  readonly files: number;
  /** Path of the ground-truth face-box sidecar. */
  readonly boxesPath: string;
  /** Path of `benchmark.json`, the generation record (options and every video's parameters). */
  readonly manifestPath: string;
  /** Wall-clock seconds the generation took. */
  readonly seconds: number;
}
