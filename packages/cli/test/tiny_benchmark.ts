import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBenchmark } from '@qad/benchmark';
import { afterAll, beforeAll } from 'vitest';

/**
 * Registers, for the calling test file, a temporary folder with the smallest benchmark (one pair per split,
 * one fake method, 3 frames of 32 px) made before its tests and removed after them.
 */
export function useTinyBenchmark(
  prefix: string,
  seed: number,
): { dir: string; bench: string; data: (extra?: Record<string, unknown>) => Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const bench = join(dir, 'bench');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    await makeBenchmark({
      outDir: bench,
      size: { train: 1, val: 1, test: 1 },
      frames: 3,
      resolution: 32,
      seed,
      methods: ['SelfBlend'],
    });
  });
  // The data section of a configuration on it: sidecar boxes, 2 frames per video, crops in the folder.
  const data = (extra: Record<string, unknown> = {}) => ({
    format: 'ffpp',
    root: bench,
    faces: 'sidecar',
    framesPerVideo: 2,
    crops: join(dir, 'crops'),
    ...extra,
  });
  return { dir, bench, data };
}
