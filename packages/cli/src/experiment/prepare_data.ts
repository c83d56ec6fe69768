import { join } from 'node:path';
import { type PairedIndex, type PairedSplit, SPLITS } from '@qad/core';
import {
  createFaceApiDetector,
  extractFaceCrops,
  loadCelebDF,
  loadFaceForensics,
  loadFFIW,
  loadVideoFolder,
  manifestToPairedSplit,
  precomputedBoxes,
  readPairedIndex,
  type VideoDataset,
} from '@qad/data-prep';
import type { ExperimentConfig } from '../config';

/** Reads the video-level data set of a configuration (not for the `index` format). */
export async function loadDataset(data: ExperimentConfig['data']): Promise<VideoDataset> {
  switch (data.format) {
    case 'ffpp':
      return loadFaceForensics(data.root, { qualities: data.qualities, methods: data.methods });
    case 'celebdf':
      return loadCelebDF(data.root, { variants: data.variants });
    case 'ffiw':
      return loadFFIW(data.root, { variants: data.variants });
    case 'generic':
      return loadVideoFolder(data.root, { qualities: data.qualities });
    default:
      throw new Error(`Data format '${data.format}' has no video layout; it is read with readPairedIndex.`);
  }
}

/** Progress of the face-crop stage, as a line for a terminal. */
export type DataLog = (line: string) => void;

/**
 * The frame-level paired index of an experiment: read from the authors' JSON format (`format: index`), or
 * built from a data set's videos by extracting face crops (resumable; a detector on the raw video, or the
 * generated benchmark's `boxes.json`) into `data.crops` (default `<output>/crops`).
 */
export async function preparePairedIndex(
  config: ExperimentConfig,
  log: DataLog = () => {},
): Promise<PairedIndex> {
  const { data } = config;
  if (data.format === 'index') return readPairedIndex(data.root);
  const dataset = await loadDataset(data);
  const qualities = data.qualities.filter((q) => dataset.qualities.includes(q));
  const missing = data.qualities.filter((q) => !dataset.qualities.includes(q));
  if (missing.length > 0) {
    throw new Error(
      `${dataset.name} at '${dataset.root}' has no ${missing.join(', ')} videos (it has ${dataset.qualities.join(', ')}); ` +
        'change data.qualities or transcode the missing qualities (transcodeVideo).',
    );
  }
  const videos = SPLITS.flatMap((s) => dataset.splits[s]);
  if (videos.length === 0) throw new Error(`${dataset.name} at '${dataset.root}' holds no videos.`);
  const outDir = data.crops ?? join(config.output, 'crops');
  log(
    `${dataset.name}: ${SPLITS.map((s) => `${s} ${dataset.splits[s].length}`).join(', ')} videos; face crops → ${outDir}`,
  );
  const faces =
    data.faces === 'sidecar'
      ? { boxSource: precomputedBoxes({ file: join(data.root, 'boxes.json'), root: data.root }) }
      : { detector: await createFaceApiDetector() };
  const result = await extractFaceCrops({
    videos,
    outDir,
    framesPerVideo: data.framesPerVideo,
    qualities,
    ...faces,
    progressBar: process.stderr.isTTY === true,
  });
  log(
    `face crops: ${result.framesCropped} frames cropped, ${result.framesSkipped} without a face, ` +
      `${result.videosResumed} videos already done, ${result.videosFailed} failed`,
  );
  // A crop folder may be shared by experiments on subsets of one data set (Table 1: one FF++ method each).
  const ids = new Set(videos.map((v) => v.id));
  const index = Object.fromEntries(
    SPLITS.map((s) => [s, onlyVideos(manifestToPairedSplit(result.manifest, s, outDir), ids)]),
  );
  return index as PairedIndex;
}

function onlyVideos(split: PairedSplit, ids: ReadonlySet<string>): PairedSplit {
  const keep = split.videos.map((v, i) => (ids.has(v) ? i : -1)).filter((i) => i >= 0);
  if (keep.length === split.videos.length) return split;
  return {
    frames: Object.fromEntries(Object.entries(split.frames).map(([q, f]) => [q, keep.map((i) => f[i]!)])),
    labels: keep.map((i) => split.labels[i]!),
    videos: keep.map((i) => split.videos[i]!),
  };
}
