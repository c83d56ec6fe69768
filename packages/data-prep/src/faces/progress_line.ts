/** Progress of {@link extractFaceCrops}, reported after every frame and every video. */
export interface ExtractProgress {
  /** Videos finished: done in this run, or found done in the manifest (`videosResumed`). */
  readonly videosDone: number;
  readonly videosTotal: number;
  /** Videos skipped because an earlier run finished them. */
  readonly videosResumed: number;
  /** Videos that failed in this run (see the manifest's `failures`). */
  readonly videosFailed: number;
  /** Frames cropped in this run (each counted once, whatever the number of qualities). */
  readonly framesCropped: number;
  /** Sampled frames without a face in this run. */
  readonly framesSkipped: number;
  /** Id of the video being processed, `undefined` at the end. */
  readonly currentVideo: string | undefined;
  readonly elapsedMs: number;
  /** Estimated time left, from the mean time per video processed in this run; `undefined` until one is. */
  readonly etaMs: number | undefined;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One status line: `faces [#####·····] 12/100 videos · 370 crops · 3 no face · 1 failed · ETA 4m12s`. */
export function formatProgress(p: ExtractProgress, barWidth = 20): string {
  const filled = p.videosTotal === 0 ? barWidth : Math.round((barWidth * p.videosDone) / p.videosTotal);
  const bar = '#'.repeat(filled) + '·'.repeat(barWidth - filled);
  const parts = [`faces [${bar}] ${p.videosDone}/${p.videosTotal} videos`, `${p.framesCropped} crops`];
  if (p.framesSkipped > 0) parts.push(`${p.framesSkipped} no face`);
  if (p.videosFailed > 0) parts.push(`${p.videosFailed} failed`);
  parts.push(p.etaMs === undefined ? 'ETA …' : `ETA ${duration(p.etaMs)}`);
  return parts.join(' · ');
}

/** Redraws one line on a TTY stream at most every `intervalMs` (and always when `final`). */
export class ProgressLine {
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly intervalMs = 100,
  ) {}

  update(p: ExtractProgress, final = false): void {
    const now = Date.now();
    if (!final && now - this.last < this.intervalMs) return;
    this.last = now;
    const width = Math.max(20, (this.stream.columns ?? 100) - 1);
    this.stream.write(`\r\x1b[K${formatProgress(p).slice(0, width)}${final ? '\n' : ''}`);
  }
}
