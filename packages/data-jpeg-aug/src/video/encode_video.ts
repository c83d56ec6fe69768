import { once } from 'node:events';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { tempSibling } from '@qad/core';
import type { RgbImage } from '../types';
import { resolveFfmpeg } from './ffmpeg_path';
import {
  describeExit,
  type FfmpegChild,
  type FfmpegExit,
  fileUrl,
  runFfmpeg,
  spawnFfmpeg,
} from './ffmpeg_process';

/** Chroma layout of the H.264 stream. */
export type VideoPixelFormat = 'yuv420p' | 'yuv444p';

/** Options of {@link encodeVideo}. */
export interface EncodeVideoOptions {
  /** libx264 constant rate factor, 0–51: 0 = lossless (FF++ `raw`), 23 = FF++ `c23`, 40 = FF++ `c40`. */
  crf: number;
  /** Frame rate written into the stream. Default 30. */
  fps?: number;
  /** libx264 preset. Default `'medium'` (x264's own default, which FF++'s plain `-crf` runs used). */
  preset?: string;
  /** ffmpeg binary; see {@link resolveFfmpeg} for the fallbacks. */
  ffmpegPath?: string;
  /**
   * Chroma layout. Default `'yuv420p'`, as in FaceForensics++ (its raw videos are lossless H.264 of 4:2:0
   * YouTube sources): CRF 0 is then lossless in YUV 4:2:0, not in RGB (the RGB→4:2:0 conversion
   * subsamples chroma and rounds). `'yuv444p'` keeps full chroma (width and height may then be odd).
   */
  pixelFormat?: VideoPixelFormat;
}

/** Options of {@link transcodeVideo}. */
export interface TranscodeVideoOptions {
  /** libx264 constant rate factor, 0–51. */
  crf: number;
  /** libx264 preset. Default `'medium'`. */
  preset?: string;
  /** ffmpeg binary; see {@link resolveFfmpeg}. */
  ffmpegPath?: string;
  /** Chroma layout of the output. Default `'yuv420p'`. */
  pixelFormat?: VideoPixelFormat;
}

const DEFAULT_FPS = 30;
const DEFAULT_PRESET = 'medium';

function checkCrf(crf: number, fn: string): void {
  if (!Number.isFinite(crf) || crf < 0 || crf > 51) {
    throw new Error(`${fn}: crf must be a number in [0, 51], got ${crf}`);
  }
}

function checkPreset(preset: string, fn: string): void {
  // Arguments go to spawn as an array, but a leading '-' would still be read by ffmpeg as an option.
  if (!/^[a-z]+$/.test(preset))
    throw new Error(`${fn}: preset must be a libx264 preset name, got '${preset}'`);
}

function x264Args(crf: number, preset: string, pixelFormat: VideoPixelFormat, outPath: string): string[] {
  const args = ['-an', '-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', pixelFormat];
  // x264 switches to the High 4:4:4 Predictive profile for lossless output on its own; extension-less
  // outputs get MP4 so the container never depends on ffmpeg's guess.
  if (extname(outPath) === '') args.push('-f', 'mp4');
  return args;
}

/** Resolves on 'drain', or returns the exit if ffmpeg died first (then no 'drain' would ever come). */
async function waitDrain(run: FfmpegChild): Promise<FfmpegExit | undefined> {
  const stdin = run.child.stdin!;
  const drained = once(stdin, 'drain').then(
    () => undefined,
    () => undefined, // EPIPE: the exit below explains it.
  );
  const result = await Promise.race([drained, run.exited]);
  return result;
}

/**
 * Encodes RGB frames into an H.264 video with libx264 at a constant rate factor, the way FaceForensics++
 * made its `raw` (CRF 0), `c23` and `c40` versions. Frames are streamed as raw `rgb24` into ffmpeg's stdin
 * (`-f rawvideo -pix_fmt rgb24 -s W×H -r fps -i -`), waiting for the pipe to drain, so memory stays at a
 * few frames whatever the clip length. The video is written to a hidden temporary file in the output's
 * directory and renamed into place only after ffmpeg succeeded: `outPath` is either complete or untouched.
 *
 * @param frames - at least one frame, all of the same size (even width and height for `yuv420p`).
 * @param outPath - output file; its extension picks the container (`.mp4` recommended, none = MP4).
 * @throws on a bad option, an empty or inconsistent frame sequence, or an ffmpeg failure (the message
 *   names `outPath` and quotes the tail of ffmpeg's stderr). Errors thrown by `frames` propagate as they
 *   are; in every case ffmpeg is killed and the temporary file removed.
 *
 * @example
 * ```ts
 * await encodeVideo(frames, 'out/raw/000.mp4', { crf: 0 });
 * await encodeVideo(frames, 'out/c23/000.mp4', { crf: 23, fps: 25 });
 * ```
 */
export async function encodeVideo(
  frames: AsyncIterable<RgbImage> | Iterable<RgbImage>,
  outPath: string,
  options: EncodeVideoOptions,
): Promise<void> {
  const fn = 'encodeVideo';
  checkCrf(options.crf, fn);
  const fps = options.fps ?? DEFAULT_FPS;
  if (!Number.isFinite(fps) || fps <= 0) throw new Error(`${fn}: fps must be a positive number, got ${fps}`);
  const preset = options.preset ?? DEFAULT_PRESET;
  checkPreset(preset, fn);
  const pixelFormat = options.pixelFormat ?? 'yuv420p';
  const ffmpeg = resolveFfmpeg(options.ffmpegPath);

  await mkdir(dirname(outPath), { recursive: true });
  const tmp = tempSibling(outPath);
  let run: FfmpegChild | undefined;
  let width = 0;
  let height = 0;
  let count = 0;
  const failed = (exit: FfmpegExit): Error =>
    new Error(`${fn}: ffmpeg failed writing '${outPath}' (${describeExit(exit, run!.stderrTail())})`);
  try {
    for await (const frame of frames) {
      if (count === 0) {
        ({ width, height } = frame);
        if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
          throw new Error(`${fn}: frame 0 has invalid size ${width}×${height} ('${outPath}')`);
        }
        if (pixelFormat === 'yuv420p' && (width % 2 !== 0 || height % 2 !== 0)) {
          throw new Error(
            `${fn}: yuv420p needs even width and height, got ${width}×${height} ('${outPath}'); ` +
              "crop or pad the frames, or use pixelFormat 'yuv444p'",
          );
        }
        const args = [
          '-hide_banner',
          '-nostats',
          '-loglevel',
          'error',
          '-y',
          '-f',
          'rawvideo',
          '-pix_fmt',
          'rgb24',
          '-s',
          `${width}x${height}`,
          '-r',
          String(fps),
          '-i',
          '-',
          ...x264Args(options.crf, preset, pixelFormat, outPath),
          fileUrl(tmp),
        ];
        run = spawnFfmpeg(ffmpeg, args, { stdin: 'pipe', stdout: 'ignore' });
      } else if (frame.width !== width || frame.height !== height) {
        throw new Error(
          `${fn}: frame ${count} is ${frame.width}×${frame.height} but frame 0 was ${width}×${height} ('${outPath}')`,
        );
      }
      if (frame.data.length !== width * height * 3) {
        throw new Error(
          `${fn}: frame ${count} has ${frame.data.length} bytes, expected ${width}×${height}×3 = ` +
            `${width * height * 3} ('${outPath}')`,
        );
      }
      // Copy: the caller may reuse its buffer as soon as we return to the iterator.
      if (!run!.child.stdin!.write(Buffer.from(frame.data))) {
        const exit = await waitDrain(run!);
        if (exit) throw failed(exit);
      }
      count++;
    }
    if (count === 0 || run === undefined) throw new Error(`${fn}: no frames to encode ('${outPath}')`);
    run.child.stdin!.end();
    const exit = await run.exited;
    if (exit.code !== 0) throw failed(exit);
    await rename(tmp, outPath);
  } catch (error) {
    await run?.kill();
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Re-encodes the first video stream of `inPath` with libx264 at a constant rate factor, as FaceForensics++
 * derived `c23` / `c40` from `raw`. Frames, frame rate and frame count are kept (no audio is written).
 * Atomic like {@link encodeVideo}.
 *
 * @throws when `inPath` is missing, or ffmpeg fails (message names both paths and quotes ffmpeg).
 *
 * @example
 * ```ts
 * await transcodeVideo('raw/000.mp4', 'c40/000.mp4', { crf: 40 });
 * ```
 */
export async function transcodeVideo(
  inPath: string,
  outPath: string,
  options: TranscodeVideoOptions,
): Promise<void> {
  const fn = 'transcodeVideo';
  checkCrf(options.crf, fn);
  const preset = options.preset ?? DEFAULT_PRESET;
  checkPreset(preset, fn);
  const pixelFormat = options.pixelFormat ?? 'yuv420p';
  const ffmpeg = resolveFfmpeg(options.ffmpegPath);
  try {
    if (!(await stat(inPath)).isFile()) throw new Error('not a file');
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new Error(`${fn}: cannot read input '${inPath}': ${why}`);
  }
  await mkdir(dirname(outPath), { recursive: true });
  const tmp = tempSibling(outPath);
  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    '-y',
    '-i',
    fileUrl(inPath),
    '-map',
    '0:v:0',
    // Keep every decoded frame once: no duplication or dropping to match a container frame rate.
    '-vsync',
    'passthrough',
    ...x264Args(options.crf, preset, pixelFormat, outPath),
    fileUrl(tmp),
  ];
  try {
    await runFfmpeg(ffmpeg, args, `${fn}: '${inPath}' → '${outPath}'`);
    await rename(tmp, outPath);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
