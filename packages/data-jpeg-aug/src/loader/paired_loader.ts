import { stat } from 'node:fs/promises';
import type { PairedBatch, PairedSplit, Quality } from '@qad/core';
import { Rng } from '@qad/core';
import { tensor1d, tensor4d } from '@tensorflow/tfjs-core';
import { assertKernel, assertSize, type ResizeKernel } from '../image/resize_image';
import { HorizontalFlip } from '../transforms/horizontal_flip';
import { checkTriple, IMAGENET_MEAN, IMAGENET_STD, Normalize } from '../transforms/normalize';
import type { FloatImage, Transform } from '../transforms/transform';
import type { RgbImage } from '../types';
import { checkSplit } from './check_split';
import { type FrameSpec, type FrameTransform, loadFrame } from './load_frame';
import { type BatchPlan, batchesPerEpoch, type PlanEpochOptions, planEpoch } from './plan_epoch';

/** Options of {@link PairedLoader}. */
export interface PairedLoaderOptions {
  /** Qualities to load, one block each (`M`); each must be in the split. */
  readonly qualities: readonly Quality[];
  /** Samples per quality block (`B`). */
  readonly batchSize: number;
  /** Network input size: a square side or `{width, height}`. */
  readonly inputSize: number | { readonly width: number; readonly height: number };
  /** Square size of the first resize (default 128, the authors' protocol); `null` resizes straight to the input size. */
  readonly preResize?: number | null;
  /** Interpolation kernel of both resizes (default `'linear'`). */
  readonly kernel?: ResizeKernel;
  /** Probability of mirroring a sample — one draw shared by all its qualities (default 0.5; 0 for evaluation). */
  readonly flipProbability?: number;
  /**
   * Per-sample augmentation after resizing, drawn once per sample and applied with the same parameters to
   * every quality of it (e.g. `Compose([HorizontalFlip({ p: 0.5 }), …])`). Default
   * `HorizontalFlip({ p: flipProbability })`; give one or the other, not both.
   */
  readonly augment?: Transform<RgbImage, RgbImage>;
  /** Shuffle the samples each epoch (default `true`). */
  readonly shuffle?: boolean;
  /** Shuffle the order of the quality blocks each batch (default `true`, as the authors). */
  readonly shuffleQualities?: boolean;
  /** Drop the last batch of an epoch when it has fewer than `batchSize` samples (default `false`). */
  readonly dropLast?: boolean;
  /** Seed of every random decision (default 0). */
  readonly seed?: number;
  /** Per-channel mean on [0, 1] (default ImageNet's). */
  readonly mean?: readonly number[];
  /** Per-channel standard deviation on [0, 1] (default ImageNet's). */
  readonly std?: readonly number[];
  /** Batches decoded ahead of the consumer (default 2; 0 decodes on demand). */
  readonly prefetch?: number;
  /** Optional deterministic hook on each decoded frame, before resizing (e.g. test-time JPEG draws). */
  readonly frameTransform?: FrameTransform;
}

/**
 * Where a loader stands, JSON-serialisable, for checkpoints: the next batch handed out is batch `position`
 * of epoch `epoch`. `rngState` is the generator's state at the start of `epoch`: {@link PairedLoader.restore}
 * replays that epoch's draws (no decoding) to continue bit-exactly.
 */
export interface PairedLoaderState {
  readonly epoch: number;
  readonly position: number;
  readonly rngState: number;
  /** The loader's seed, checked on restore. */
  readonly seed: number;
  /** Samples in the split, checked on restore. */
  readonly numSamples: number;
  /** Samples per block, checked on restore. */
  readonly batchSize: number;
}

interface EpochPlan {
  readonly batches: readonly BatchPlan[];
  readonly endState: number;
}

interface Prepared {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly plan: BatchPlan;
}

interface Pending {
  readonly epoch: number;
  readonly index: number;
  readonly promise: Promise<Prepared>;
}

interface Cursor {
  readonly epoch: number;
  readonly index: number;
}

/**
 * Paired multi-quality loader for QAD training: every batch holds the same `B` samples at each of `M`
 * qualities, as `M` consecutive blocks ({@link PairedBatch}).
 *
 * Per frame: decode (libvips, through sharp, on libuv worker threads) → optional `frameTransform` → resize to
 * `preResize` (128) → resize to the input size → the per-sample `augment` transform (default: mirror if the
 * sample's flip draw says so) → `Normalize`
 * `(v/255 − mean)/std` into float32. Up to `prefetch` batches are decoded ahead while the consumer works;
 * at most `prefetch + 1` batches of decoded pixels are held besides the batches handed out.
 *
 * **Ownership:** each batch's tensors belong to the consumer, who calls `batch.dispose()` when done with it
 * (the loader never disposes a batch it has handed out, so a batch may be kept across steps). Batches
 * waiting in the prefetch queue are plain typed arrays, not tensors, so dropping a loader leaks nothing.
 *
 * **Determinism:** all random decisions (sample order, flips, block order) are drawn from one {@link Rng}
 * seeded with `seed`, epoch by epoch, before decoding; the same seed gives bit-identical batches, and
 * {@link PairedLoader.state}/{@link PairedLoader.restore} resume mid-epoch exactly. Call `next()`
 * sequentially (await each batch before asking for the next).
 */
export class PairedLoader {
  /** Samples in the split (`N`). */
  readonly numSamples: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** Qualities loaded, in the order given (each batch shuffles its own block order). */
  readonly qualities: readonly Quality[];
  /** Samples per quality block. */
  readonly batchSize: number;
  /** Input width in pixels. */
  readonly width: number;
  /** Input height in pixels. */
  readonly height: number;
  /** The seed. */
  readonly seed: number;

  private readonly split: PairedSplit;
  private readonly planOptions: PlanEpochOptions;
  private readonly frameSpec: FrameSpec;
  private readonly prefetch: number;
  private readonly augment: Transform<RgbImage, RgbImage>;
  private readonly normalize: Transform<RgbImage, FloatImage, undefined>;
  private plans = new Map<number, EpochPlan & { readonly startState: number }>();
  private consumed: Cursor = { epoch: 0, index: 0 };
  private produced: Cursor = { epoch: 0, index: 0 };
  private queue: Pending[] = [];
  private closed = false;

  constructor(split: PairedSplit, options: PairedLoaderOptions) {
    if (options === null || typeof options !== 'object')
      throw new Error('PairedLoader: options are required.');
    this.numSamples = checkSplit(split, options.qualities);
    this.split = split;
    this.qualities = options.qualities.slice();
    const { batchSize } = options;
    assertSize(batchSize, 'batchSize', 'PairedLoader');
    this.batchSize = batchSize;
    const size = options.inputSize;
    const width = typeof size === 'number' ? size : size?.width;
    const height = typeof size === 'number' ? size : size?.height;
    assertSize(width as number, 'inputSize', 'PairedLoader');
    assertSize(height as number, 'inputSize', 'PairedLoader');
    this.width = width as number;
    this.height = height as number;
    const preResize = options.preResize === undefined ? 128 : options.preResize;
    if (preResize !== null) assertSize(preResize, 'preResize', 'PairedLoader');
    const kernel = options.kernel ?? 'linear';
    assertKernel(kernel, 'PairedLoader');
    this.frameSpec = {
      width: this.width,
      height: this.height,
      preResize,
      kernel,
      frameTransform: options.frameTransform,
    };
    const flipProbability = options.flipProbability ?? 0.5;
    if (typeof flipProbability !== 'number' || !(flipProbability >= 0 && flipProbability <= 1)) {
      throw new Error(
        `Argument 'flipProbability' passed to 'PairedLoader' must be in [0, 1], got ${flipProbability}.`,
      );
    }
    if (options.augment !== undefined && options.flipProbability !== undefined) {
      throw new Error(
        "PairedLoader: give 'augment' or 'flipProbability', not both (put a HorizontalFlip in the augmentation).",
      );
    }
    if (options.augment !== undefined && typeof options.augment?.draw !== 'function') {
      throw new TypeError(
        "Argument 'augment' passed to 'PairedLoader' must be a Transform (draw / applyParams).",
      );
    }
    this.augment = options.augment ?? HorizontalFlip({ p: flipProbability });
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed))
      throw new Error(`Argument 'seed' passed to 'PairedLoader' must be an integer, got ${seed}.`);
    this.seed = seed;
    const prefetch = options.prefetch ?? 2;
    if (!Number.isInteger(prefetch) || prefetch < 0) {
      throw new Error(
        `Argument 'prefetch' passed to 'PairedLoader' must be an integer >= 0, got ${prefetch}.`,
      );
    }
    this.prefetch = prefetch;
    const dropLast = options.dropLast ?? false;
    this.batchesPerEpoch = batchesPerEpoch(this.numSamples, batchSize, dropLast);
    if (this.batchesPerEpoch === 0) {
      throw new Error(
        `PairedLoader: the split has ${this.numSamples} samples, fewer than batchSize ${batchSize}, and dropLast leaves no batch.`,
      );
    }
    this.planOptions = {
      numSamples: this.numSamples,
      batchSize,
      qualities: this.qualities,
      shuffle: options.shuffle ?? true,
      shuffleQualities: options.shuffleQualities ?? true,
      augment: this.augment,
      dropLast,
    };
    const mean = checkTriple(options.mean ?? IMAGENET_MEAN, 'mean', false, 'PairedLoader');
    const std = checkTriple(options.std ?? IMAGENET_STD, 'std', true, 'PairedLoader');
    this.normalize = Normalize({ mean, std });
    this.startEpoch(0, new Rng(seed).state);
  }

  /** Epoch of the next batch handed out. */
  get epoch(): number {
    return this.state().epoch;
  }

  /** Batches of the current epoch already handed out. */
  get position(): number {
    return this.state().position;
  }

  /**
   * The next batch; after an epoch's last batch comes the first of the next epoch. The caller owns the
   * batch and must call its `dispose()`.
   *
   * @throws Error naming the file, quality and sample when a frame cannot be loaded; the loader then stays
   *   at that batch (calling again retries it).
   */
  async next(): Promise<PairedBatch> {
    if (this.closed) throw new Error('PairedLoader: next() called after close().');
    this.fill(1);
    const pending = this.queue.shift() as Pending;
    this.fill(this.prefetch);
    let prepared: Prepared;
    try {
      prepared = await pending.promise;
    } catch (error) {
      this.queue = [];
      this.produced = { epoch: pending.epoch, index: pending.index };
      throw error;
    }
    const after = this.successor(pending);
    if (compare(after, this.consumed) > 0) this.consumed = after;
    return this.toBatch(prepared);
  }

  /**
   * The remaining batches of the current epoch (all of them when called at an epoch's start), e.g.
   * `for await (const batch of loader.epochBatches()) { …; batch.dispose(); }`.
   */
  async *epochBatches(): AsyncGenerator<PairedBatch, void, undefined> {
    const epoch = this.epoch;
    while (this.epoch === epoch) yield await this.next();
  }

  /** Where the loader stands (the next batch to hand out), for a checkpoint. */
  state(): PairedLoaderState {
    let { epoch, index } = this.consumed;
    let plan = this.planFor(epoch);
    if (index >= plan.batches.length) {
      epoch += 1;
      index = 0;
      plan = this.planFor(epoch);
    }
    return {
      epoch,
      position: index,
      rngState: plan.startState,
      seed: this.seed,
      numSamples: this.numSamples,
      batchSize: this.batchSize,
    };
  }

  /**
   * Continues from a saved {@link PairedLoaderState}: the next batch is the one an uninterrupted loader
   * with the same split and options would have handed out. Drops any prefetched batches.
   */
  restore(state: PairedLoaderState): void {
    const s = state as Partial<PairedLoaderState> | null;
    if (s === null || typeof s !== 'object')
      throw new Error('PairedLoader.restore: the state must be an object.');
    for (const key of ['seed', 'numSamples', 'batchSize'] as const) {
      if (s[key] !== this[key]) {
        throw new Error(
          `PairedLoader.restore: the state has ${key} ${s[key]}, this loader has ${this[key]}.`,
        );
      }
    }
    const { epoch, position, rngState } = s;
    if (!Number.isInteger(epoch) || (epoch as number) < 0)
      throw new Error(`PairedLoader.restore: bad epoch ${epoch}.`);
    if (
      !Number.isInteger(position) ||
      (position as number) < 0 ||
      (position as number) >= this.batchesPerEpoch
    ) {
      throw new Error(
        `PairedLoader.restore: position ${position} is outside [0, ${this.batchesPerEpoch - 1}].`,
      );
    }
    if (!Number.isInteger(rngState)) throw new Error(`PairedLoader.restore: bad rngState ${rngState}.`);
    this.queue = [];
    this.plans.clear();
    this.startEpoch(epoch as number, rngState as number);
    this.consumed = { epoch: epoch as number, index: position as number };
    this.produced = this.consumed;
  }

  /**
   * Checks that every frame of the chosen qualities exists on disk, without decoding.
   *
   * @throws Error naming the first missing file, its quality and sample.
   */
  async verifyFiles(): Promise<void> {
    for (const quality of this.qualities) {
      const frames = this.split.frames[quality] as readonly string[];
      for (let i = 0; i < frames.length; i++) {
        const path = frames[i] as string;
        const ok = await stat(path).then(
          (st) => st.isFile(),
          () => false,
        );
        if (!ok)
          throw new Error(`PairedLoader: frame '${path}' (quality '${quality}', sample ${i}) is missing.`);
      }
    }
  }

  /** Drops prefetched batches; further `next()` calls throw. Batches already handed out stay valid. */
  close(): void {
    this.closed = true;
    this.queue = [];
  }

  private startEpoch(epoch: number, startState: number): void {
    const rng = new Rng(0);
    rng.state = startState;
    const batches = planEpoch(rng, this.planOptions);
    this.plans.set(epoch, { batches, endState: rng.state, startState });
  }

  private planFor(epoch: number): EpochPlan & { readonly startState: number } {
    let plan = this.plans.get(epoch);
    if (plan === undefined) {
      const previous = this.plans.get(epoch - 1);
      if (previous === undefined)
        throw new Error(`PairedLoader: internal error, no plan for epoch ${epoch - 1}.`);
      this.startEpoch(epoch, previous.endState);
      plan = this.plans.get(epoch) as EpochPlan & { readonly startState: number };
      for (const old of this.plans.keys()) if (old < this.consumed.epoch) this.plans.delete(old);
    }
    return plan;
  }

  private successor(cursor: Cursor): Cursor {
    const plan = this.planFor(cursor.epoch);
    return cursor.index + 1 < plan.batches.length
      ? { epoch: cursor.epoch, index: cursor.index + 1 }
      : { epoch: cursor.epoch + 1, index: 0 };
  }

  private fill(size: number): void {
    while (this.queue.length < size) {
      let { epoch, index } = this.produced;
      if (index >= this.planFor(epoch).batches.length) {
        epoch += 1;
        index = 0;
      }
      const plan = this.planFor(epoch).batches[index] as BatchPlan;
      const promise = this.prepare(plan);
      // Marks the rejection as handled: it is rethrown when the consumer reaches this batch.
      promise.catch(() => undefined);
      this.queue.push({ epoch, index, promise });
      this.produced = { epoch, index: index + 1 };
    }
  }

  private async prepare(plan: BatchPlan): Promise<Prepared> {
    const b = plan.samples.length;
    const m = plan.qualities.length;
    const frameSize = this.width * this.height * 3;
    const images = new Float32Array(m * b * frameSize);
    const labels = new Int32Array(m * b);
    const jobs: Promise<void>[] = [];
    plan.qualities.forEach((quality, block) => {
      const frames = this.split.frames[quality] as readonly string[];
      plan.samples.forEach((sampleIndex, j) => {
        const slot = block * b + j;
        labels[slot] = this.split.labels[sampleIndex] as number;
        const frame = { path: frames[sampleIndex] as string, quality, sampleIndex };
        jobs.push(
          loadFrame(frame, this.frameSpec)
            .then((data) =>
              this.augment.applyParams(
                { data, width: this.width, height: this.height },
                plan.augmentations[j],
              ),
            )
            .then((image) => this.normalize.applyParams(image, undefined))
            .then((normalized) => {
              images.set(normalized.data, slot * frameSize);
            }),
        );
      });
    });
    await Promise.all(jobs);
    return { images, labels, plan };
  }

  private toBatch(prepared: Prepared): PairedBatch {
    const { plan } = prepared;
    const b = plan.samples.length;
    const n = plan.qualities.length * b;
    const images = tensor4d(prepared.images, [n, this.height, this.width, 3], 'float32');
    const labels = tensor1d(prepared.labels, 'int32');
    let disposed = false;
    return {
      images,
      labels,
      qualities: plan.qualities,
      batchSize: b,
      sampleIndices: plan.samples,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        images.dispose();
        labels.dispose();
      },
    };
  }
}

function compare(a: Cursor, b: Cursor): number {
  return a.epoch - b.epoch || a.index - b.index;
}
