import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { RgbImage } from '@qad/data-jpeg-aug';
import type { VideoRecord } from '../video_record';
import type { FaceBox, FaceDetector } from './face_box';

/**
 * Where {@link extractFaceCrops} gets the faces of one frame of the video it detects on (normally `raw`):
 * a detector, or boxes known in advance.
 */
export interface BoxSource {
  /**
   * Faces in frame `frameIndex` of `video` (decoded from `path`, the file of the detection quality). `[]` when
   * there is none; the frame is then skipped.
   */
  boxesFor(video: VideoRecord, path: string, frameIndex: number, image: RgbImage): Promise<FaceBox[]>;
}

/** A {@link BoxSource} that runs `detector` on every frame. */
export function detectorBoxSource(detector: FaceDetector): BoxSource {
  return { boxesFor: (_video, _path, _index, image) => detector.detect(image) };
}

/** A box as stored in a sidecar: `score` is optional (ground truth has none; 1 is assumed). */
export interface StoredBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score?: number;
}

/** The boxes of one frame in a sidecar: one box, several, or none (`null` or `[]`). */
export type StoredFrameBoxes = StoredBox | readonly StoredBox[] | null;

/**
 * Per-frame boxes of many videos: key = video file path (relative to the sidecar's `root`, `/`-separated, or
 * absolute) or video id; value = one entry per frame. This is the format of the generated benchmark's
 * `boxes.json` (one ground-truth box per frame).
 */
export type BoxSidecar = Readonly<Record<string, readonly StoredFrameBoxes[]>>;

/** Options of {@link precomputedBoxes}: a JSON sidecar file, or the same mapping in memory. */
export interface PrecomputedBoxesOptions {
  /** JSON file holding a {@link BoxSidecar} (read once, on first use). */
  file?: string;
  /** The mapping itself, instead of `file`. */
  boxes?: BoxSidecar;
  /** Folder that relative keys are relative to. Default: the folder of `file`, else the working directory. */
  root?: string;
}

function isBox(value: unknown): value is StoredBox {
  if (value === null || typeof value !== 'object') return false;
  const b = value as Record<string, unknown>;
  const finite = (k: string) => typeof b[k] === 'number' && Number.isFinite(b[k]);
  return (
    finite('x') &&
    finite('y') &&
    finite('width') &&
    finite('height') &&
    (b.width as number) > 0 &&
    (b.height as number) > 0 &&
    (b.score === undefined || finite('score'))
  );
}

function toFaceBoxes(entry: StoredFrameBoxes | undefined, where: string): FaceBox[] {
  if (entry === null || entry === undefined) return [];
  const list: readonly unknown[] = Array.isArray(entry) ? entry : [entry];
  return list.map((b, k) => {
    if (!isBox(b)) {
      throw new Error(
        `${where}: box ${k} must be {x, y, width, height[, score]} with positive size, got ${JSON.stringify(b)}`,
      );
    }
    return { x: b.x, y: b.y, width: b.width, height: b.height, score: b.score ?? 1 };
  });
}

/**
 * A {@link BoxSource} of boxes known in advance, for instance the ground-truth `boxes.json` of the generated
 * benchmark (a real detector does not find its synthetic faces). The video is looked up by the path of its
 * detection-quality file relative to `root` (with `/`), then by absolute path, then by id. A frame without an
 * entry, or with `null`/`[]`, has no face.
 *
 * @throws (from `boxesFor`) when the file cannot be read or parsed, when a video has no entry, or when a box
 *   is malformed; messages name the file, the video and the frame.
 *
 * @example
 * ```ts
 * const boxSource = precomputedBoxes({ file: 'bench/boxes.json' });
 * await extractFaceCrops({ videos, outDir: 'crops', boxSource });
 * ```
 */
export function precomputedBoxes(options: PrecomputedBoxesOptions): BoxSource {
  const fn = 'precomputedBoxes';
  if ((options.file === undefined) === (options.boxes === undefined)) {
    throw new Error(`${fn}: give exactly one of 'file' and 'boxes'`);
  }
  const name = options.file === undefined ? '<in-memory boxes>' : resolve(options.file);
  const root = resolve(options.root ?? (options.file === undefined ? '.' : dirname(options.file)));
  let table: Promise<BoxSidecar> | undefined;
  const load = (): Promise<BoxSidecar> => {
    table ??= (async () => {
      if (options.boxes !== undefined) return options.boxes;
      let json: unknown;
      try {
        json = JSON.parse(await readFile(name, 'utf8'));
      } catch (error) {
        throw new Error(`${fn}: cannot read box sidecar '${name}': ${(error as Error).message}`);
      }
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new Error(
          `${fn}: box sidecar '${name}' must be an object mapping video paths to per-frame boxes`,
        );
      }
      return json as BoxSidecar;
    })();
    return table;
  };
  return {
    async boxesFor(video, path, frameIndex) {
      const sidecar = await load();
      const abs = resolve(path);
      const rel = relative(root, abs).split(sep).join('/');
      const key = [rel, abs, video.id].find((k) => Object.hasOwn(sidecar, k));
      if (key === undefined) {
        throw new Error(
          `${fn}: '${name}' has no boxes for video '${video.id}' (looked up '${rel}', '${abs}')`,
        );
      }
      const frames = sidecar[key];
      if (!Array.isArray(frames))
        throw new Error(`${fn}: '${name}' entry '${key}' must be an array of frames`);
      return toFaceBoxes(
        frames[frameIndex] as StoredFrameBoxes | undefined,
        `${fn}: '${name}' entry '${key}' frame ${frameIndex}`,
      );
    },
  };
}
