import { accessSync, constants, statSync } from 'node:fs';
import { nodeRequire } from './node_require';

/** Environment variable that names an ffmpeg binary, consulted when no explicit path is given. */
export const FFMPEG_ENV = 'QAD_FFMPEG';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function installerPath(): { path?: string; problem?: string } {
  try {
    const mod = nodeRequire()('@ffmpeg-installer/ffmpeg') as { path?: unknown };
    if (typeof mod.path === 'string') return { path: mod.path };
    return { problem: '@ffmpeg-installer/ffmpeg exports no path' };
  } catch (error) {
    // The installer throws a plain string when its platform package is missing.
    return { problem: `@ffmpeg-installer/ffmpeg: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Finds the ffmpeg binary to run, in this order: `explicit`, the `QAD_FFMPEG` environment variable, the
 * static build shipped by the `@ffmpeg-installer/ffmpeg` dependency (ffmpeg 4.x, 2018, built with
 * libx264; it ships no ffprobe, so everything here probes with ffmpeg itself).
 *
 * An explicit path or `QAD_FFMPEG` that is not an executable file is an error: silently falling back would
 * encode with a different ffmpeg (and x264) than the one the caller asked for.
 *
 * @param explicit - path to an ffmpeg binary; wins over everything else.
 * @returns absolute or caller-given path of an executable ffmpeg.
 * @throws when the chosen candidate is not an executable file, or when none is available.
 *
 * @example
 * ```ts
 * const ffmpeg = resolveFfmpeg(); // e.g. …/@ffmpeg-installer/linux-x64/ffmpeg
 * ```
 */
export function resolveFfmpeg(explicit?: string): string {
  if (explicit !== undefined && explicit !== '') {
    if (isExecutableFile(explicit)) return explicit;
    throw new Error(`resolveFfmpeg: ffmpegPath '${explicit}' is not an executable file`);
  }
  const fromEnv = process.env[FFMPEG_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new Error(`resolveFfmpeg: ${FFMPEG_ENV}='${fromEnv}' is not an executable file`);
  }
  const installed = installerPath();
  if (installed.path !== undefined) {
    if (isExecutableFile(installed.path)) return installed.path;
    throw new Error(
      `resolveFfmpeg: the @ffmpeg-installer/ffmpeg binary '${installed.path}' is not executable ` +
        `(set ${FFMPEG_ENV} or pass ffmpegPath)`,
    );
  }
  throw new Error(
    `resolveFfmpeg: no ffmpeg found (${installed.problem}); pass ffmpegPath or set ${FFMPEG_ENV} ` +
      'to an ffmpeg built with libx264',
  );
}
