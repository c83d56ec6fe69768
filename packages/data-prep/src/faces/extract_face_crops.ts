import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Quality } from '@qad/core';
import { atomicWrite } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import {
  decodeFrames,
  encodePng,
  probeVideo,
  type ResizeKernel,
  resizeImage,
  sampleFrameIndices,
  type VideoInfo,
} from '@qad/data-jpeg-aug';
import type { VideoRecord } from '../video_record';
import { type BoxSource, detectorBoxSource } from './box_source';
import {
  CROP_MANIFEST_FILE,
  type CropManifest,
  type CropManifestVideo,
  type CropSettings,
  cropFileName,
  readCropManifest,
} from './crop_manifest';
import { cropSquare } from './crop_square';
import { type FaceDetector, largestFace, type SquareClip, type SquareRegion, squareBox } from './face_box';
import { type ExtractProgress, ProgressLine } from './progress_line';

/** Options of {@link extractFaceCrops}. */
export interface ExtractFaceCropsOptions {
  /** Videos to crop; every one needs a file for each of `qualities`. */
  videos: readonly VideoRecord[];
  /** Output folder: `manifest.json`, `crops/<video>/<quality>/<frame>.png`, and a `.partial/` work area. */
  outDir: string;
  /** Frames sampled per video (`sampleFrameIndices` (`@qad/data-jpeg-aug`): evenly, first and last included). Default 32. */
  framesPerVideo?: number;
  /** Face detector, run on the detection quality (give this or `boxSource`). */
  detector?: FaceDetector;
  /** Boxes from elsewhere, for instance {@link precomputedBoxes} (give this or `detector`). */
  boxSource?: BoxSource;
  /**
   * Side of the stored crops in pixels. Default 256: at least the largest backbone input (EfficientNet-B1,
   * 240) so the loader only ever downsizes (the authors' own 128 step included). Crops are PNG (lossless),
   * so the c23/c40 compression stays exactly what the video codec made.
   */
  cropSize?: number;
  /** Face box enlargement. Default 1.3 (the authors' protocol). */
  scale?: number;
  /** Border rule of the square; see {@link SquareClip}. Default `'shift'`. */
  clip?: SquareClip;
  /** Resampling kernel from the square to `cropSize`. Default `'linear'` (antialiased when shrinking). */
  resizeKernel?: ResizeKernel;
  /**
   * Qualities to crop, the detection quality first. Default: `raw` (when the first video has it) followed by
   * the first video's other qualities. Boxes are found on the first and reused for the others, so the crops
   * of a frame align pixel for pixel across qualities.
   */
  qualities?: readonly Quality[];
  /** A video that fails (unreadable file, frame count mismatch…) is recorded in `failures` and retried next
   * run (`'record'`, default), or stops the run (`'throw'`). */
  onVideoError?: 'record' | 'throw';
  /** Called after every frame and every video. */
  onProgress?: (progress: ExtractProgress) => void;
  /** Draw a progress line on stderr. Default: when stderr is a TTY. */
  progressBar?: boolean;
  /** ffmpeg binary; see `resolveFfmpeg`. */
  ffmpegPath?: string;
}

/** Counts of one {@link extractFaceCrops} run. */
export interface ExtractFaceCropsResult {
  /** Path of the manifest. */
  readonly manifestPath: string;
  /** The manifest as written at the end of the run. */
  readonly manifest: CropManifest;
  /** Videos processed in this run (successfully). */
  readonly videosProcessed: number;
  /** Videos found finished by an earlier run, and not touched. */
  readonly videosResumed: number;
  /** Videos that failed in this run. */
  readonly videosFailed: number;
  /** Frames cropped in this run (once per frame, whatever the number of qualities). */
  readonly framesCropped: number;
  /** Sampled frames without a face in this run. */
  readonly framesSkipped: number;
}

const FN = 'extractFaceCrops';
const PARTIAL = '.partial';

/**
 * A folder name for a video id: each `/`-separated part keeps `[A-Za-z0-9._-]` and gets `_` otherwise; when
 * anything had to change, a hash of the id is appended so two ids never share a folder.
 */
export function videoDirName(id: string): string {
  const parts = id.split('/').map((p) => {
    const safe = p.replace(/[^A-Za-z0-9._-]/g, '_');
    return safe === '' || safe === '.' || safe === '..' ? '_' : safe;
  });
  const joined = parts.join('/');
  if (joined === id) return joined;
  return `${joined}~${createHash('sha1').update(id).digest('hex').slice(0, 8)}`;
}

function defaultQualities(videos: readonly VideoRecord[]): Quality[] {
  const first = videos[0];
  if (first === undefined) return [];
  const names = Object.keys(first.paths);
  return names.includes('raw') ? ['raw', ...names.filter((q) => q !== 'raw')] : names;
}

function sameSettings(a: CropSettings, b: CropSettings): string | undefined {
  for (const key of ['framesPerVideo', 'cropSize', 'scale', 'clip', 'qualities'] as const) {
    const x = JSON.stringify(a[key]);
    const y = JSON.stringify(b[key]);
    if (x !== y) return `${key} ${x} → ${y}`;
  }
  return undefined;
}

/**
 * Extracts square face crops from every video at every quality, the authors' way: `framesPerVideo` frames
 * sampled evenly; on each, the largest face found on the detection quality (raw), squared and enlarged ×1.3
 * ({@link squareBox}); the same square cut from the same frame of every quality, resized to `cropSize` and
 * stored as PNG. Frames without a face are skipped and counted.
 *
 * Resumable and crash-safe: a video's crops are written into `.partial/` and the folder is renamed into
 * `crops/` when complete; only then is the video added to `manifest.json`, which is rewritten atomically
 * (temporary file + rename) after every video. A second run skips the videos the manifest lists, retries
 * failed ones, and redoes one that was interrupted. One run per `outDir` at a time.
 *
 * @returns counts of this run and the final manifest (see {@link manifestToPairedSplit} for the loader).
 * @throws on bad options, on a manifest made with other settings, or on the first video error when
 *   `onVideoError` is `'throw'`.
 *
 * @example
 * ```ts
 * const detector = await createFaceApiDetector();
 * const result = await extractFaceCrops({ videos, outDir: 'ffpp-crops', detector });
 * const train = manifestToPairedSplit(result.manifest, 'train', 'ffpp-crops');
 * ```
 */
export async function extractFaceCrops(options: ExtractFaceCropsOptions): Promise<ExtractFaceCropsResult> {
  const { videos, outDir } = options;
  if ((options.detector === undefined) === (options.boxSource === undefined)) {
    throw new Error(`${FN}: give exactly one of 'detector' and 'boxSource'`);
  }
  const boxSource = options.boxSource ?? detectorBoxSource(options.detector!);
  const settings: CropSettings = {
    framesPerVideo: options.framesPerVideo ?? 32,
    cropSize: options.cropSize ?? 256,
    scale: options.scale ?? 1.3,
    clip: options.clip ?? 'shift',
    qualities: options.qualities ?? defaultQualities(videos),
  };
  if (!Number.isInteger(settings.framesPerVideo) || settings.framesPerVideo < 1) {
    throw new Error(`${FN}: framesPerVideo must be a positive integer, got ${settings.framesPerVideo}`);
  }
  if (!Number.isInteger(settings.cropSize) || settings.cropSize < 1) {
    throw new Error(`${FN}: cropSize must be a positive integer, got ${settings.cropSize}`);
  }
  if (!(settings.scale > 0) || !Number.isFinite(settings.scale)) {
    throw new Error(`${FN}: scale must be a positive number, got ${settings.scale}`);
  }
  if (settings.qualities.length === 0 && videos.length > 0) throw new Error(`${FN}: no qualities to crop`);
  if (new Set(settings.qualities).size !== settings.qualities.length) {
    throw new Error(`${FN}: qualities must not repeat, got ${settings.qualities.join(', ')}`);
  }
  const ids = new Set<string>();
  for (const v of videos) {
    if (ids.has(v.id)) throw new Error(`${FN}: video id '${v.id}' appears twice`);
    ids.add(v.id);
  }

  await mkdir(outDir, { recursive: true });
  const manifestPath = join(outDir, CROP_MANIFEST_FILE);
  const previous = await readCropManifest(outDir);
  if (previous !== undefined) {
    const diff = sameSettings(previous.settings, settings);
    if (diff !== undefined) {
      throw new Error(`${FN}: '${manifestPath}' was made with other settings (${diff}); use another outDir`);
    }
  }
  const done: Record<string, CropManifestVideo> = { ...previous?.videos };
  const failures: Record<string, string> = { ...previous?.failures };
  const snapshot = (): CropManifest => ({
    version: 1,
    settings,
    videos: { ...done },
    failures: { ...failures },
  });
  const saveManifest = () => atomicWrite(manifestPath, `${JSON.stringify(snapshot())}\n`);
  // Left-overs of an interrupted run: never listed in the manifest, so safe to drop.
  await rm(join(outDir, PARTIAL), { recursive: true, force: true });

  const started = Date.now();
  const bar =
    (options.progressBar ?? process.stderr.isTTY === true) ? new ProgressLine(process.stderr) : undefined;
  let processed = 0;
  let failed = 0;
  let resumed = 0;
  let framesCropped = 0;
  let framesSkipped = 0;
  // Frames of the video in progress: they count once the video is complete (a failed video's do not).
  let pendingCropped = 0;
  let pendingSkipped = 0;
  let processingMs = 0;
  const report = (current: string | undefined, final = false) => {
    const finished = processed + failed;
    const remaining = videos.length - finished - resumed;
    const progress: ExtractProgress = {
      videosDone: processed + resumed + failed,
      videosTotal: videos.length,
      videosResumed: resumed,
      videosFailed: failed,
      framesCropped: framesCropped + pendingCropped,
      framesSkipped: framesSkipped + pendingSkipped,
      currentVideo: current,
      elapsedMs: Date.now() - started,
      etaMs: finished > 0 ? (processingMs / finished) * remaining : undefined,
    };
    options.onProgress?.(progress);
    bar?.update(progress, final);
  };

  const context: VideoContext = {
    outDir,
    settings,
    boxSource,
    kernel: options.resizeKernel ?? 'linear',
    ffmpegPath: options.ffmpegPath,
    onFrame: (cropped) => {
      if (cropped) pendingCropped++;
      else pendingSkipped++;
    },
  };
  try {
    for (const video of videos) {
      if (done[video.id] !== undefined) {
        resumed++;
        continue;
      }
      const t0 = Date.now();
      pendingCropped = 0;
      pendingSkipped = 0;
      try {
        const entry = await cropVideo(video, context, () => report(video.id));
        done[video.id] = entry;
        delete failures[video.id];
        processed++;
        framesCropped += entry.frames.length;
        framesSkipped += entry.skipped.length;
      } catch (error) {
        if ((options.onVideoError ?? 'record') === 'throw') throw error;
        failures[video.id] = (error as Error).message;
        failed++;
      } finally {
        processingMs += Date.now() - t0;
        pendingCropped = 0;
        pendingSkipped = 0;
      }
      await saveManifest();
      report(video.id);
    }
    // A run with nothing new to do leaves an existing manifest untouched, but always leaves one behind.
    if (previous === undefined && processed + failed === 0) await saveManifest();
  } finally {
    // Every video's work folder is gone by now (renamed or removed); drop the empty work area.
    await rm(join(outDir, PARTIAL), { recursive: true, force: true });
    report(undefined, true);
  }
  return {
    manifestPath,
    manifest: snapshot(),
    videosProcessed: processed,
    videosResumed: resumed,
    videosFailed: failed,
    framesCropped,
    framesSkipped,
  };
}

interface VideoContext {
  readonly outDir: string;
  readonly settings: CropSettings;
  readonly boxSource: BoxSource;
  readonly kernel: ResizeKernel;
  readonly ffmpegPath: string | undefined;
  onFrame(cropped: boolean): void;
}

async function saveCrop(
  frame: RgbImage,
  region: SquareRegion,
  path: string,
  ctx: VideoContext,
): Promise<void> {
  const size = ctx.settings.cropSize;
  const crop = await resizeImage(cropSquare(frame, region), {
    width: size,
    height: size,
    kernel: ctx.kernel,
  });
  await writeFile(path, await encodePng(crop));
}

/** Crops one video into `.partial/<random>/`, then renames the folder into `crops/`. */
async function cropVideo(
  video: VideoRecord,
  ctx: VideoContext,
  progress: () => void,
): Promise<CropManifestVideo> {
  const [detectOn, ...others] = ctx.settings.qualities as [Quality, ...Quality[]];
  const pathOf = (q: Quality): string => {
    const p = video.paths[q];
    if (typeof p !== 'string') throw new Error(`${FN}: video '${video.id}' has no '${q}' file`);
    return p;
  };
  for (const q of ctx.settings.qualities) pathOf(q);
  const ff = ctx.ffmpegPath === undefined ? {} : { ffmpegPath: ctx.ffmpegPath };
  const info = await probeVideo(pathOf(detectOn), ff);
  const indices = sampleFrameIndices(info.frameCount, ctx.settings.framesPerVideo);

  const work = join(ctx.outDir, PARTIAL, randomBytes(6).toString('hex'));
  const dir = videoDirName(video.id);
  const final = join(ctx.outDir, 'crops', dir);
  try {
    for (const q of ctx.settings.qualities) await mkdir(join(work, q), { recursive: true });
    const regions = new Map<number, SquareRegion>();
    const skipped: number[] = [];
    for await (const { index, image } of decodeFrames(pathOf(detectOn), { indices, info, ...ff })) {
      const face = largestFace(await ctx.boxSource.boxesFor(video, pathOf(detectOn), index, image));
      if (face === undefined) {
        skipped.push(index);
        ctx.onFrame(false);
      } else {
        const region = squareBox(face, image.width, image.height, ctx.settings.scale, ctx.settings.clip);
        regions.set(index, region);
        await saveCrop(image, region, join(work, detectOn, cropFileName(index)), ctx);
        ctx.onFrame(true);
      }
      progress();
    }
    const kept = indices.filter((i) => regions.has(i));
    for (const q of others) {
      const other: VideoInfo = await probeVideo(pathOf(q), ff);
      if (
        other.frameCount !== info.frameCount ||
        other.width !== info.width ||
        other.height !== info.height
      ) {
        throw new Error(
          `${FN}: video '${video.id}': '${q}' file has ${other.frameCount} frames of ${other.width}×${other.height} ` +
            `but '${detectOn}' has ${info.frameCount} of ${info.width}×${info.height}; the crops could not align`,
        );
      }
      if (kept.length === 0) continue;
      for await (const { index, image } of decodeFrames(pathOf(q), { indices: kept, info: other, ...ff })) {
        await saveCrop(image, regions.get(index)!, join(work, q, cropFileName(index)), ctx);
      }
    }
    // A folder left by a run that died between this rename and its manifest update is stale: replace it.
    await rm(final, { recursive: true, force: true });
    await mkdir(dirname(final), { recursive: true });
    await rename(work, final);
    return {
      id: video.id,
      label: video.label,
      split: video.split,
      method: video.method,
      dir: `crops/${dir}`,
      frameCount: info.frameCount,
      frames: kept,
      regions: kept.map((i) => {
        const r = regions.get(i)!;
        return [r.x, r.y, r.size] as const;
      }),
      skipped,
    };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}
