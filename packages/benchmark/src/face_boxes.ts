import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FaceBox } from '@qad/data-prep';

/** Name of the ground-truth face-box sidecar that {@link makeBenchmark} writes at the data set root. */
export const BENCHMARK_BOXES_FILE = 'boxes.json';

/**
 * Ground-truth face boxes of a generated benchmark: for every video file (path relative to the data set root,
 * `/`-separated, every quality listed), one `FaceBox` (`@qad/data-prep`) per frame: the tight box of the face ellipse in
 * pixels, `score` 1. The face-crop stage uses them instead of a detector (real detectors do not find synthetic
 * faces) and enlarges them (× 1.3, `squareBox`) exactly like detector boxes.
 */
export type BenchmarkBoxes = Readonly<Record<string, readonly FaceBox[]>>;

/**
 * Reads and validates `<root>/boxes.json` (or the given `.json` file). A box without `score` gets score 1.
 * Errors name the file, the video entry and the frame.
 */
export async function readBenchmarkBoxes(rootOrFile: string): Promise<BenchmarkBoxes> {
  const path = resolve(rootOrFile.endsWith('.json') ? rootOrFile : join(rootOrFile, BENCHMARK_BOXES_FILE));
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Benchmark boxes ${path}: cannot be read: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`Benchmark boxes ${path}: must be an object mapping video paths to per-frame boxes.`);
  }
  const out: Record<string, FaceBox[]> = {};
  for (const [video, boxes] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(boxes) || boxes.length === 0) {
      throw new Error(`Benchmark boxes ${path}: entry '${video}' must be a non-empty array of boxes.`);
    }
    out[video] = boxes.map((b: unknown, i) => {
      const box = b as Record<string, unknown> | null;
      const finite = (k: string) => typeof box?.[k] === 'number' && Number.isFinite(box[k]);
      const ok =
        box !== null &&
        typeof box === 'object' &&
        ['x', 'y', 'width', 'height'].every(finite) &&
        (box.width as number) > 0 &&
        (box.height as number) > 0 &&
        (box.score === undefined || finite('score'));
      if (!ok) {
        throw new Error(
          `Benchmark boxes ${path}: entry '${video}', frame ${i} must be {x, y, width, height[, score]} with ` +
            `positive size, but is ${JSON.stringify(b)}.`,
        );
      }
      const { x, y, width, height, score } = box as Record<string, number>;
      return { x: x!, y: y!, width: width!, height: height!, score: score ?? 1 };
    });
  }
  return out;
}
