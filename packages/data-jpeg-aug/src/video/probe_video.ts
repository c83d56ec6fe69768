import { stat } from 'node:fs/promises';
import { resolveFfmpeg } from './ffmpeg_path';
import { describeExit, fileUrl, spawnFfmpeg } from './ffmpeg_process';

/** What {@link probeVideo} reports about a video's first video stream. */
export interface VideoInfo {
  /** Exact number of frames (packets of the first video stream, counted by reading the whole file). */
  readonly frameCount: number;
  readonly width: number;
  readonly height: number;
  /** Frame rate as ffmpeg prints it (`29.97`, `30`, …); `NaN` when the container gives none. */
  readonly fps: number;
}

/** Options of {@link probeVideo}. */
export interface ProbeVideoOptions {
  /** ffmpeg binary; see {@link resolveFfmpeg}. */
  ffmpegPath?: string;
}

/** Throws `${fn}: cannot read '${path}': …` unless `path` is an existing regular file. */
export async function assertReadableFile(path: string, fn: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${fn}: cannot read '${path}': ${code === 'ENOENT' ? 'file not found' : String(error)}`);
  }
  if (!isFile) throw new Error(`${fn}: cannot read '${path}': not a regular file`);
}

/** Parses the `Stream #0:0…: Video: …` line of ffmpeg's input dump. */
function parseStreamLine(stderr: string): { width: number; height: number; fps: number } | undefined {
  const line = /Stream #\d+:\d+[^\n]*?: Video: ([^\n]*)/.exec(stderr)?.[1];
  if (line === undefined) return undefined;
  // Codec names can contain 'x' between digits only in the size field, which ffmpeg prints as `WxH` after
  // the pixel format; the lookarounds keep hex tags such as `0x31637661` out.
  const size = /(?:^|[\s,])(\d+)x(\d+)(?=[\s,[]|$)/.exec(line);
  if (!size) return undefined;
  const rate = /([\d.]+)(k?) fps/.exec(line) ?? /([\d.]+)(k?) tbr/.exec(line);
  const fps = rate ? Number(rate[1]) * (rate[2] === 'k' ? 1000 : 1) : Number.NaN;
  return { width: Number(size[1]), height: Number(size[2]), fps };
}

/**
 * Frame count, size and frame rate of the first video stream, using ffmpeg alone (no ffprobe ships with
 * `@ffmpeg-installer/ffmpeg`). The count is exact: the stream is read to the end with
 * `-map 0:v:0 -c copy -f null -`, which counts every packet without decoding (one packet per frame in
 * MP4/H.264), instead of trusting the container's `nb_frames` or duration × fps, which can be missing or
 * rounded. `-xerror` turns a read error (a truncated file) into a failure rather than a short count.
 *
 * @throws when the file is missing, is not a video (ffmpeg cannot open it or it has no video stream), or is
 *   truncated/corrupt; the message names the file and quotes ffmpeg.
 *
 * @example
 * ```ts
 * const { frameCount, width, height, fps } = await probeVideo('c23/000.mp4');
 * ```
 */
export async function probeVideo(path: string, options: ProbeVideoOptions = {}): Promise<VideoInfo> {
  const fn = 'probeVideo';
  const ffmpeg = resolveFfmpeg(options.ffmpegPath);
  await assertReadableFile(path, fn);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-xerror', '-i', fileUrl(path)];
  args.push('-map', '0:v:0', '-c', 'copy', '-f', 'null', '-');
  const run = spawnFfmpeg(ffmpeg, args, { stdin: 'ignore', stdout: 'ignore' });
  // The stream line comes first and the final report last; keep both ends of stderr.
  let head = '';
  run.child.stderr?.on('data', (chunk: string) => {
    if (head.length < 16384) head += chunk;
  });
  const exit = await run.exited;
  const tail = run.stderrTail();
  if (exit.code !== 0) {
    const problem = /matches no streams/.test(tail) ? 'has no video stream' : 'is not a readable video';
    throw new Error(`${fn}: '${path}' ${problem} (ffmpeg ${describeExit(exit, lastLines(tail, 4))})`);
  }
  const stream = parseStreamLine(head) ?? parseStreamLine(tail);
  const frames = [...tail.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1];
  if (stream === undefined || frames === undefined) {
    throw new Error(`${fn}: could not parse ffmpeg's report for '${path}': ${lastLines(tail, 6)}`);
  }
  const frameCount = Number(frames);
  if (frameCount === 0) throw new Error(`${fn}: '${path}' has a video stream with no frames`);
  return { frameCount, ...stream };
}

/** The last `n` lines of ffmpeg output, for error messages. */
export function lastLines(text: string, n: number): string {
  return text.split(/\r?\n/).slice(-n).join(' | ');
}
