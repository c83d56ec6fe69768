import { type PairedSplit, type Quality, RANDOM_JPEG_QUALITY } from '@qad/core';
import {
  type JpegDraws,
  jpegDrawsFrameTransform,
  PairedLoader,
  type PairedLoaderState,
} from '@qad/data-jpeg-aug';
import type { BatchSource, EvalSource } from '@qad/trainer';

/** Options shared by the training and evaluation sources. */
export interface PairedSourceOptions {
  inputSize: number;
  /** First resize (authors: 128), `null` for none. */
  preResize: number | null;
  seed: number;
}

/**
 * A `BatchSource` (`@qad/trainer`) over a `PairedLoader`: the loader's own state (position and RNG) goes into the
 * trainer's checkpoints, so a resumed run continues with exactly the batches it would have seen.
 */
export function pairedTrainingSource(
  split: PairedSplit,
  options: PairedSourceOptions & { qualities: readonly Quality[]; batchPerQuality: number },
): BatchSource & { close(): void } {
  const loader = new PairedLoader(split, {
    qualities: options.qualities,
    batchSize: options.batchPerQuality,
    inputSize: options.inputSize,
    preResize: options.preResize,
    seed: options.seed,
    dropLast: true,
    flipProbability: 0.5,
    shuffle: true,
    shuffleQualities: true,
  });
  return {
    batchesPerEpoch: loader.batchesPerEpoch,
    qualities: loader.qualities,
    async *epoch(epoch, from = 0) {
      const at = loader.state();
      if (at.epoch !== epoch || at.position !== from) {
        throw new Error(
          `The training loader is at epoch ${at.epoch}, batch ${at.position}, but the trainer asks for epoch ${epoch}, batch ${from}; ` +
            'restore the loader state from the checkpoint first.',
        );
      }
      for (let i = from; i < loader.batchesPerEpoch; i++) yield await loader.next();
    },
    state: () => loader.state(),
    restore: (state) => loader.restore(state as PairedLoaderState),
    close: () => loader.close(),
  };
}

/**
 * An `EvalSource` (`@qad/trainer`) over a paired split: each quality's frames in order, no flip; the `jpeg` quality is
 * the raw frames compressed at their pre-drawn JPEG quality (the paper's random-JPEG test protocol).
 */
export function pairedEvalSource(
  split: PairedSplit,
  qualities: readonly Quality[],
  options: PairedSourceOptions & { batchSize: number; jpegDraws?: JpegDraws },
): EvalSource {
  for (const q of qualities) {
    if (q === RANDOM_JPEG_QUALITY) {
      if (options.jpegDraws === undefined)
        throw new Error(`Evaluating the '${RANDOM_JPEG_QUALITY}' quality needs JPEG draws.`);
      if (split.frames.raw === undefined)
        throw new Error(
          `Evaluating the '${RANDOM_JPEG_QUALITY}' quality needs the 'raw' frames in the split.`,
        );
    } else if (split.frames[q] === undefined) {
      throw new Error(
        `The evaluation split has no '${q}' frames (it has ${Object.keys(split.frames).join(', ')}).`,
      );
    }
  }
  return {
    qualities,
    async *batches(quality) {
      const jpeg = quality === RANDOM_JPEG_QUALITY;
      const frames = split.frames[jpeg ? 'raw' : quality]!;
      const loader = new PairedLoader(
        { frames: { [jpeg ? 'raw' : quality]: frames }, labels: split.labels, videos: split.videos },
        {
          qualities: [jpeg ? 'raw' : quality],
          batchSize: options.batchSize,
          inputSize: options.inputSize,
          preResize: options.preResize,
          seed: options.seed,
          shuffle: false,
          shuffleQualities: false,
          flipProbability: 0,
          frameTransform:
            jpeg && options.jpegDraws !== undefined ? jpegDrawsFrameTransform(options.jpegDraws) : undefined,
        },
      );
      try {
        for (let i = 0; i < loader.batchesPerEpoch; i++) {
          const batch = await loader.next();
          batch.labels.dispose();
          yield {
            images: batch.images,
            labels: batch.sampleIndices.map((s) => split.labels[s]!),
            videos: batch.sampleIndices.map((s) => split.videos[s]!),
            dispose: () => batch.images.dispose(),
          };
        }
      } finally {
        loader.close();
      }
    },
  };
}
