import { type ChildProcess, spawn } from 'node:child_process';

/** How an ffmpeg child ended. */
export interface FfmpegExit {
  /** Exit code, `null` when killed by a signal or when it never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (for instance ENOENT). */
  readonly spawnError?: Error;
}

/** A running ffmpeg with its exit promise and the last part of its stderr. */
export interface FfmpegChild {
  readonly child: ChildProcess;
  /** Resolves (never rejects) once the process has exited and its pipes are closed. */
  readonly exited: Promise<FfmpegExit>;
  /** The last few KiB of stderr, trimmed; where ffmpeg explains its failures. */
  stderrTail(): string;
  /** Kills the child (SIGKILL) if it still runs and waits until it is reaped. */
  kill(): Promise<FfmpegExit>;
}

const STDERR_KEEP = 4096;

/**
 * Spawns ffmpeg with an argument array (never through a shell), keeping only a bounded tail of its stderr
 * so long runs cannot grow memory, and tracking its exit so callers can always reap it.
 */
export function spawnFfmpeg(
  ffmpeg: string,
  args: readonly string[],
  stdio: { stdin: 'pipe' | 'ignore'; stdout: 'pipe' | 'ignore' },
): FfmpegChild {
  const child = spawn(ffmpeg, args as string[], { stdio: [stdio.stdin, stdio.stdout, 'pipe'] });
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail += chunk;
    if (tail.length > 2 * STDERR_KEEP) tail = tail.slice(-STDERR_KEEP);
  });
  // A dead ffmpeg makes writes fail with EPIPE; the exit status carries the real reason, so swallow it here.
  child.stdin?.on('error', () => {});
  const exited = new Promise<FfmpegExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, spawnError: error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    child,
    exited,
    stderrTail: () => tail.slice(-STDERR_KEEP).trim(),
    kill: async () => {
      if (!done && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** One line describing how ffmpeg failed, for error messages. */
export function describeExit(exit: FfmpegExit, tail: string): string {
  if (exit.spawnError) return `could not start ffmpeg: ${exit.spawnError.message}`;
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  return tail ? `${how}: ${tail}` : how;
}

/** Runs ffmpeg to completion and returns its stderr tail; throws `${what}: …` with that tail on failure. */
export async function runFfmpeg(ffmpeg: string, args: readonly string[], what: string): Promise<string> {
  const run = spawnFfmpeg(ffmpeg, args, { stdin: 'ignore', stdout: 'ignore' });
  const exit = await run.exited;
  if (exit.code !== 0) throw new Error(`${what}: ffmpeg failed (${describeExit(exit, run.stderrTail())})`);
  return run.stderrTail();
}

/**
 * A local path as ffmpeg's `file:` protocol URL, so a name that contains `:` (or starts with `-`) is never read
 * as another protocol (`concat:`, `http:` …) or as an option.
 */
export function fileUrl(path: string): string {
  return `file:${path}`;
}
