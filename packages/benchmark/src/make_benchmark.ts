import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Quality, Split } from '@qad/core';
import { atomicWrite, Rng, SPLITS } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import { decodeFrames, decodeImage, encodeVideo, resizeImage, transcodeVideo } from '@qad/data-jpeg-aug';
import type { FaceBox } from '@qad/data-prep';
import { type Background, mediaBackground, syntheticBackground } from './background';
import type {
  BenchmarkMethod,
  BenchmarkPairs,
  BenchmarkResult,
  MakeBenchmarkOptions,
} from './benchmark_options';
import { BENCHMARK_METHODS, BENCHMARK_QUALITIES, BENCHMARK_SIZES } from './benchmark_options';
import { deriveSeed } from './derive_seed';
import { BENCHMARK_BOXES_FILE } from './face_boxes';
import type { FacePose, PoseBox } from './face_model';
import { makeIdentity, makeMotion, poseBox } from './face_model';
import { drawFaceSwapParams, faceSwapFrame } from './face_swap';
import { renderFrame } from './render_face';
import { drawSelfBlendParams, selfBlendFrame } from './self_blend';
import { TaskPool } from './task_pool';

const FN = 'makeBenchmark';
const VIDEO_EXTENSIONS = ['.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v'];
/** Top-level entries a benchmark owns in `outDir` (what `overwrite` removes). */
const OWNED = [
  'original_sequences',
  'manipulated_sequences',
  'splits',
  BENCHMARK_BOXES_FILE,
  'benchmark.json',
];

interface Settings {
  outDir: string;
  pairs: BenchmarkPairs;
  seed: number;
  sources: string[];
  methods: BenchmarkMethod[];
  frames: number;
  width: number;
  height: number;
  strength: Record<BenchmarkMethod, number>;
  qualities: Array<[Quality, number]>;
  fps: number;
  preset: string;
  concurrency: number;
  overwrite: boolean;
}

function fail(message: string): never {
  throw new Error(`${FN}: ${message}`);
}

function checkInt(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(`option '${name}' must be an integer ≥ ${min}, but got ${JSON.stringify(value)}.`);
  }
  return value;
}

function settings(options: MakeBenchmarkOptions): Settings {
  if (options === null || typeof options !== 'object')
    fail('options must be an object with at least outDir.');
  if (typeof options.outDir !== 'string' || options.outDir === '') {
    fail(`option 'outDir' must be a folder path, but got ${JSON.stringify(options.outDir)}.`);
  }
  const size = options.size ?? 'small';
  let pairs: BenchmarkPairs;
  let preset = BENCHMARK_SIZES.small;
  if (typeof size === 'string') {
    const named = BENCHMARK_SIZES[size as keyof typeof BENCHMARK_SIZES];
    if (named === undefined) {
      fail(`option 'size' must be 'small', 'medium', 'large' or { train, val, test }, but got '${size}'.`);
    }
    preset = named;
    pairs = named.pairs;
  } else {
    if (size === null || typeof size !== 'object')
      fail(`option 'size' must be a name or { train, val, test }.`);
    for (const s of SPLITS) checkInt(size[s], `size.${s}`, 0);
    if (SPLITS.every((s) => size[s] === 0)) fail(`option 'size' must ask for at least one pair.`);
    pairs = { train: size.train, val: size.val, test: size.test };
  }
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) fail(`option 'seed' must be a finite number, but got ${seed}.`);
  const frames = checkInt(options.frames ?? preset.frames, 'frames', 1);
  const res = options.resolution;
  const width = typeof res === 'number' ? res : (res?.width ?? preset.width);
  const height = typeof res === 'number' ? res : (res?.height ?? preset.height);
  for (const [v, n] of [
    [width, 'width'],
    [height, 'height'],
  ] as const) {
    // yuv420p (FF++'s pixel format) needs even sizes; below 32 px the face has no room for its features.
    if (!Number.isInteger(v) || v < 32 || v % 2 !== 0) {
      fail(`option 'resolution' must give an even ${n} ≥ 32, but got ${JSON.stringify(v)}.`);
    }
  }
  const methods = [...(options.methods ?? BENCHMARK_METHODS)];
  for (const m of methods) {
    if (!BENCHMARK_METHODS.includes(m)) {
      fail(
        `option 'methods' may hold only ${BENCHMARK_METHODS.map((x) => `'${x}'`).join(' and ')}, but got '${m}'.`,
      );
    }
  }
  if (new Set(methods).size !== methods.length) fail(`option 'methods' lists a method twice.`);
  const strength = {} as Record<BenchmarkMethod, number>;
  for (const m of BENCHMARK_METHODS) {
    const s = typeof options.strength === 'object' ? (options.strength[m] ?? 1) : (options.strength ?? 1);
    if (typeof s !== 'number' || !(s >= 0 && s <= 2)) {
      fail(`option 'strength' must be in [0, 2], but got ${JSON.stringify(s)} for ${m}.`);
    }
    strength[m] = s;
  }
  const qualities = Object.entries(options.qualities ?? BENCHMARK_QUALITIES) as Array<[Quality, number]>;
  if (qualities.length === 0) fail(`option 'qualities' must name at least one quality.`);
  for (const [q, crf] of qualities) {
    if (q === '' || /[/\\]/.test(q) || q === '.' || q === '..')
      fail(`option 'qualities' has a bad folder name '${q}'.`);
    if (typeof crf !== 'number' || !(crf >= 0 && crf <= 51)) {
      fail(`option 'qualities.${q}' must be a CRF in [0, 51], but got ${JSON.stringify(crf)}.`);
    }
  }
  const fps = options.fps ?? 30;
  if (!(fps > 0 && Number.isFinite(fps))) fail(`option 'fps' must be a positive number, but got ${fps}.`);
  const sources = [...(options.sources ?? [])].map((s) => resolve(s));
  return {
    outDir: resolve(options.outDir),
    pairs,
    seed,
    sources,
    methods,
    frames,
    width,
    height,
    strength,
    qualities,
    fps,
    preset: options.preset ?? 'medium',
    concurrency: checkInt(options.concurrency ?? 2, 'concurrency', 1),
    overwrite: options.overwrite ?? false,
  };
}

/** Crops the centre of `image` to the aspect ratio `width : height`. */
function cropToAspect(image: RgbImage, width: number, height: number): RgbImage {
  const scale = Math.min(image.width / width, image.height / height);
  const cw = Math.max(1, Math.round(width * scale));
  const ch = Math.max(1, Math.round(height * scale));
  const x0 = Math.floor((image.width - cw) / 2);
  const y0 = Math.floor((image.height - ch) / 2);
  const data = new Uint8Array(cw * ch * 3);
  for (let y = 0; y < ch; y++) {
    const from = ((y + y0) * image.width + x0) * 3;
    data.set(image.data.subarray(from, from + cw * 3), y * cw * 3);
  }
  return { data, width: cw, height: ch };
}

async function loadSource(path: string, s: Settings, ffmpegPath: string | undefined): Promise<RgbImage[]> {
  const lower = path.toLowerCase();
  if (VIDEO_EXTENSIONS.some((e) => lower.endsWith(e))) {
    const frames: RgbImage[] = [];
    const size = { width: s.width, height: s.height };
    for await (const f of decodeFrames(path, {
      count: s.frames,
      size,
      ...(ffmpegPath ? { ffmpegPath } : {}),
    })) {
      frames.push(f.image);
    }
    return frames;
  }
  // Room to pan: 20 % larger than the frame.
  const w = Math.round(s.width * 1.2);
  const h = Math.round(s.height * 1.2);
  const image = cropToAspect(await decodeImage(path), w, h);
  return [await resizeImage(image, { width: w, height: h })];
}

/** A video's frames with their face poses. */
interface Clip {
  readonly images: RgbImage[];
  readonly poses: FacePose[];
}

/** A ground-truth box as the face-crop stage's `FaceBox` (`@qad/data-prep`): rounded to 1/100 px, score 1. */
function groundTruth(b: PoseBox): FaceBox {
  const r = (v: number) => Math.round(v * 100) / 100;
  return { x: r(b.x), y: r(b.y), width: r(b.width), height: r(b.height), score: 1 };
}

/**
 * Generates a small FaceForensics++-layout deepfake benchmark with known ground truth, entirely from a seed:
 * `original_sequences/youtube/<q>/videos/NNN.mp4`, `manipulated_sequences/<method>/<q>/videos/AAA_BBB.mp4`
 * (target AAA, source BBB, both directions per pair), `splits/{train,val,test}.json` (id pairs),
 * `boxes.json` (ground-truth face box per frame of every video; see {@link readBenchmarkBoxes}) and
 * `benchmark.json` (options and every video's random parameters).
 *
 * Real videos show a synthetic face (identity-specific shape, skin tone, eyes, brows, nose, mouth, hair) moving
 * slowly over a textured panning background. Fakes: `SelfBlend` (SBI-style self-blending, see
 * {@link selfBlendFrame}) and `FaceSwap` (the pair partner's face warped, colour-matched and pasted, see
 * {@link faceSwapFrame}); each fake video draws its parameters once, so the artefact is temporally consistent.
 * The first quality (`raw`, CRF 0) is encoded from the frames with `encodeVideo`, the others (`c23`, `c40`)
 * transcoded from it with `transcodeVideo`, as FF++ did.
 *
 * Deterministic: every video's content depends only on the seed and its own name, and the same seed gives
 * byte-identical files (libx264 output is deterministic for a given build and thread count).
 */
export async function makeBenchmark(options: MakeBenchmarkOptions): Promise<BenchmarkResult> {
  const started = Date.now();
  const s = settings(options);
  const { outDir, frames, width, height } = s;
  const existing = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const clash = OWNED.filter((e) => existing.includes(e));
  if (clash.length > 0) {
    if (!s.overwrite) {
      fail(`${outDir} already holds a benchmark (${clash.join(', ')}); pass overwrite: true to replace it.`);
    }
    for (const e of clash) await rm(join(outDir, e), { recursive: true, force: true });
  }

  // Identities: FF++-style zero-padded ids, shuffled into pairs, pairs assigned to splits in order.
  const total = 2 * SPLITS.reduce((n, split) => n + s.pairs[split], 0);
  const digits = Math.max(3, String(total - 1).length);
  const ids = Array.from({ length: total }, (_, i) => String(i).padStart(digits, '0'));
  const order = new Rng(deriveSeed(s.seed, 'pairs')).shuffle(ids);
  const pairs = { train: [], val: [], test: [] } as Record<Split, Array<[string, string]>>;
  let k = 0;
  for (const split of SPLITS) {
    for (let p = 0; p < s.pairs[split]; p++, k += 2) pairs[split].push([order[k]!, order[k + 1]!]);
  }

  const sourceCache = new Map<number, Promise<RgbImage[]>>();
  const background = (id: string): Promise<Background> | Background => {
    const index = Number(id);
    if (s.sources.length === 0) return syntheticBackground(deriveSeed(s.seed, 'background', id));
    const which = index % s.sources.length;
    let frames = sourceCache.get(which);
    if (frames === undefined) {
      frames = loadSource(s.sources[which]!, s, options.ffmpegPath);
      sourceCache.set(which, frames);
    }
    return frames.then((f) => mediaBackground(f, s.frames));
  };
  const render = async (id: string): Promise<Clip> => {
    const identity = makeIdentity(deriveSeed(s.seed, 'identity', id));
    const motion = makeMotion(deriveSeed(s.seed, 'motion', id));
    const bg = await background(id);
    const images: RgbImage[] = [];
    const poses: FacePose[] = [];
    for (let t = 0; t < frames; t++) {
      const f = renderFrame(identity, motion, bg, t, frames, width, height);
      images.push(f.image);
      poses.push(f.pose);
    }
    return { images, poses };
  };

  const qualityNames = s.qualities.map(([q]) => q);
  const files = (1 + s.methods.length) * total * s.qualities.length;
  const boxes: Record<string, FaceBox[]> = {};
  const videos: Record<string, unknown> = {};
  const pool = new TaskPool(s.concurrency);
  const ff = options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {};
  let done = 0;
  const rel = (parts: string[], q: Quality, name: string) => [...parts, q, 'videos', `${name}.mp4`].join('/');
  const write = async (parts: string[], name: string, clip: Clip): Promise<void> => {
    const perFrame = clip.poses.map((p) => groundTruth(poseBox(p)));
    for (const q of qualityNames) boxes[rel(parts, q, name)] = perFrame;
    await pool.add(async () => {
      const [first, firstCrf] = s.qualities[0]!;
      const firstPath = join(outDir, rel(parts, first, name));
      await encodeVideo(clip.images, firstPath, { crf: firstCrf, fps: s.fps, preset: s.preset, ...ff });
      options.onProgress?.({ done: ++done, total: files, file: rel(parts, first, name) });
      for (const [q, crf] of s.qualities.slice(1)) {
        await transcodeVideo(firstPath, join(outDir, rel(parts, q, name)), { crf, preset: s.preset, ...ff });
        options.onProgress?.({ done: ++done, total: files, file: rel(parts, q, name) });
      }
    });
  };

  const originals = ['original_sequences', 'youtube'];
  try {
    for (const split of SPLITS) {
      for (const [a, b] of pairs[split]) {
        const clipA = await render(a);
        const clipB = await render(b);
        for (const [id, clip] of [
          [a, clipA],
          [b, clipB],
        ] as const) {
          videos[`original/youtube/${id}`] = { split, label: 0, method: 'original' };
          await write(originals, id, clip);
        }
        for (const method of s.methods) {
          const strength = s.strength[method];
          for (const [t, src, tClip, sClip] of [
            [a, b, clipA, clipB],
            [b, a, clipB, clipA],
          ] as const) {
            const name = `${t}_${src}`;
            const rng = new Rng(deriveSeed(s.seed, method, name));
            let images: RgbImage[];
            let params: unknown;
            if (method === 'SelfBlend') {
              const p = drawSelfBlendParams(rng);
              params = p;
              images = tClip.images.map((img, i) => selfBlendFrame(img, tClip.poses[i]!, p, strength));
            } else {
              const p = drawFaceSwapParams(rng);
              params = p;
              images = tClip.images.map((img, i) =>
                faceSwapFrame(img, tClip.poses[i]!, sClip.images[i]!, sClip.poses[i]!, p, strength),
              );
            }
            videos[`${method}/${name}`] = {
              split,
              label: 1,
              method,
              target: t,
              source: src,
              strength,
              params,
            };
            await write(['manipulated_sequences', method], name, { images, poses: tClip.poses });
          }
        }
      }
    }
  } catch (error) {
    // Let the running ffmpeg jobs finish (they write to temporary files) before reporting the error.
    await pool.settle();
    throw error;
  }
  await pool.drain();

  for (const split of SPLITS) {
    await atomicWrite(join(outDir, 'splits', `${split}.json`), `${JSON.stringify(pairs[split])}\n`);
  }
  const boxesPath = join(outDir, BENCHMARK_BOXES_FILE);
  await atomicWrite(boxesPath, `${JSON.stringify(boxes)}\n`);
  const manifestPath = join(outDir, 'benchmark.json');
  const manifest = {
    generator: '@qad/benchmark makeBenchmark',
    version: 1,
    seed: s.seed,
    pairs: s.pairs,
    frames,
    width,
    height,
    fps: s.fps,
    preset: s.preset,
    qualities: Object.fromEntries(s.qualities),
    methods: s.methods,
    strength: s.strength,
    sources: s.sources,
    videos,
  };
  await atomicWrite(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  return {
    outDir,
    pairs,
    methods: s.methods,
    qualities: qualityNames,
    frames,
    width,
    height,
    files,
    boxesPath,
    manifestPath,
    seconds: (Date.now() - started) / 1000,
  };
}
