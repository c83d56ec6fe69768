import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RgbImage } from '@qad/data-jpeg-aug';
import type * as tfc from '@tensorflow/tfjs-core';
import type { FaceBox, FaceDetector } from './face_box';

/** face-api's two face detectors. */
export type FaceApiModel = 'ssdMobilenetv1' | 'tinyFaceDetector';

/** Options of {@link createFaceApiDetector}. */
export interface FaceApiDetectorOptions {
  /**
   * Detector network. Default `'ssdMobilenetv1'` (5.4 MB): tighter boxes and higher recall on real faces
   * than `'tinyFaceDetector'` (190 KB, about 4× faster), and crop geometry matters more than speed in an
   * offline pass over 32 frames per video.
   */
  model?: FaceApiModel;
  /** Minimum score of a detection. Default 0.5. */
  minConfidence?: number;
  /** `ssdMobilenetv1` only: at most this many faces per image. Default 100. */
  maxResults?: number;
  /** `tinyFaceDetector` only: network input side, a multiple of 32. Default 416. */
  inputSize?: number;
  /**
   * tfjs backend to run on. Default `'wasm'` (`@tensorflow/tfjs-backend-wasm`, loaded from its package
   * files, no network): about 50× faster than the pure-JS `cpu` backend. Each `detect` call switches the
   * global tfjs backend to it and back to the previous one afterwards (calls are serialised), so do not
   * run other tfjs work concurrently with `detect`. `'active'`: use whatever backend is active.
   */
  backend?: 'wasm' | 'active';
  /** Folder with the weight manifests and `.bin` files. Default: the `model/` folder inside `@vladmandic/face-api`. */
  modelDir?: string;
}

/** A face-api detector; free its weights with `dispose()` when done. */
export interface FaceApiDetector extends FaceDetector {
  readonly model: FaceApiModel;
  /** Frees the network's weight tensors. Idempotent; `detect` fails afterwards. */
  dispose(): void;
}

interface FaceApiDetection {
  readonly score: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

interface FaceApiNet {
  loadFromDisk(dir: string): Promise<void>;
  locateFaces(input: tfc.Tensor3D, options: unknown): Promise<FaceApiDetection[]>;
  dispose(): void;
}

/** The parts of `@vladmandic/face-api`'s node-wasm build used here. */
interface FaceApiModule {
  readonly tf: typeof tfc;
  readonly SsdMobilenetv1: new () => FaceApiNet;
  readonly TinyFaceDetector: new () => FaceApiNet;
  readonly SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  readonly TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
}

let faceApi: FaceApiModule | undefined;

// The node-wasm build uses the CommonJS `@tensorflow/tfjs`, i.e. the same tfjs-core engine as the rest of the
// process (no second copy). Loaded lazily: importing this package must not pull face-api and full tfjs in.
function loadFaceApi(): FaceApiModule {
  faceApi ??= createRequire(import.meta.url)(
    '@vladmandic/face-api/dist/face-api.node-wasm.js',
  ) as FaceApiModule;
  return faceApi;
}

function defaultModelDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'model');
}

/**
 * Creates a face detector from `@vladmandic/face-api` (a maintained fork of face-api.js on tfjs 4.x), with
 * the weights that ship inside the package, read from the file system (no download).
 *
 * Boxes come back in pixels of the input image, clipped to it, with the network's score.
 *
 * @throws when an option is out of range or the weights cannot be read (the message names the folder).
 *
 * @example
 * ```ts
 * const detector = await createFaceApiDetector();
 * const faces = await detector.detect(frame); // [{ x, y, width, height, score }, …]
 * detector.dispose();
 * ```
 */
export async function createFaceApiDetector(options: FaceApiDetectorOptions = {}): Promise<FaceApiDetector> {
  const fn = 'createFaceApiDetector';
  const model = options.model ?? 'ssdMobilenetv1';
  const minConfidence = options.minConfidence ?? 0.5;
  const maxResults = options.maxResults ?? 100;
  const inputSize = options.inputSize ?? 416;
  const backendChoice = options.backend ?? 'wasm';
  if (model !== 'ssdMobilenetv1' && model !== 'tinyFaceDetector') {
    throw new Error(`${fn}: model must be 'ssdMobilenetv1' or 'tinyFaceDetector', got '${model}'`);
  }
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    throw new Error(`${fn}: minConfidence must be in [0, 1], got ${minConfidence}`);
  }
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw new Error(`${fn}: maxResults must be a positive integer, got ${maxResults}`);
  }
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0) {
    throw new Error(`${fn}: inputSize must be a positive multiple of 32, got ${inputSize}`);
  }
  if (backendChoice !== 'wasm' && backendChoice !== 'active') {
    throw new Error(`${fn}: backend must be 'wasm' or 'active', got '${backendChoice}'`);
  }

  const api = loadFaceApi();
  const tf = api.tf;
  if (backendChoice === 'wasm') createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm'); // registers 'wasm'
  const wanted = backendChoice === 'wasm' ? 'wasm' : undefined;

  // Serialises calls: each one may switch the global backend, and must find it as it left it.
  let queue: Promise<unknown> = Promise.resolve();
  const onBackend = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      const previous = tf.getBackend();
      if (wanted !== undefined && previous !== wanted) {
        if (!(await tf.setBackend(wanted)))
          throw new Error(`${fn}: the tfjs '${wanted}' backend failed to start`);
      }
      try {
        return await work();
      } finally {
        if (wanted !== undefined && previous !== wanted) await tf.setBackend(previous);
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const net = model === 'ssdMobilenetv1' ? new api.SsdMobilenetv1() : new api.TinyFaceDetector();
  const modelDir = options.modelDir ?? defaultModelDir();
  await onBackend(async () => {
    try {
      await net.loadFromDisk(modelDir);
    } catch (error) {
      throw new Error(
        `${fn}: cannot load the ${model} weights from '${modelDir}': ${(error as Error).message}`,
      );
    }
  });
  const netOptions =
    model === 'ssdMobilenetv1'
      ? new api.SsdMobilenetv1Options({ minConfidence, maxResults })
      : new api.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minConfidence });

  let disposed = false;
  return {
    model,
    detect: (image: RgbImage) =>
      onBackend(async () => {
        if (disposed) throw new Error(`${fn}: detect called after dispose`);
        const { width, height, data } = image;
        if (!(data instanceof Uint8Array) || data.length !== width * height * 3 || width < 1 || height < 1) {
          throw new Error(`FaceApiDetector.detect: image must be an RgbImage with width·height·3 bytes`);
        }
        const input = tf.tensor3d(data, [height, width, 3], 'int32');
        try {
          const found = await net.locateFaces(input, netOptions);
          return found.map((d) => clipBox(d, width, height)).filter((b): b is FaceBox => b !== undefined);
        } finally {
          input.dispose();
        }
      }),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      net.dispose();
    },
  };
}

function clipBox(d: FaceApiDetection, width: number, height: number): FaceBox | undefined {
  const x0 = Math.max(0, d.box.x);
  const y0 = Math.max(0, d.box.y);
  const x1 = Math.min(width, d.box.x + d.box.width);
  const y1 = Math.min(height, d.box.y + d.box.height);
  if (!(x1 > x0 && y1 > y0)) return undefined;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0, score: d.score };
}
