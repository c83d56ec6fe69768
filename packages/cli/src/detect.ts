import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeFrames, decodeImage, Normalize, type RgbImage, resizeImage } from '@qad/data-jpeg-aug';
import { cropSquare, type FaceDetector, MEDIA_EXTENSIONS, squareBox } from '@qad/data-prep';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff']);

/** How a saved detector expects its input (written beside it as `detector.json` by `qad train`). */
export interface DetectorInput {
  inputSize: number;
  preResize: number | null;
}

/** Options of {@link detectFakes}. */
export interface DetectOptions extends DetectorInput {
  /** Face detector; without one every image is classified whole (already-cropped faces). */
  faceDetector?: FaceDetector;
  /** Frames sampled evenly per video. Default 32. */
  framesPerVideo?: number;
  /** Faces per image kept, largest first. Default 1 for video frames and 10 for images. */
  maxFaces?: number;
  onFile?: (result: FileDetection) => void;
}

/** One classified face. */
export interface FaceScore {
  /** Frame index for videos, 0 for images. */
  frame: number;
  box: { x: number; y: number; size: number } | null;
  /** Probability of fake. */
  fake: number;
}

/** The result for one file. */
export interface FileDetection {
  path: string;
  kind: 'image' | 'video';
  faces: FaceScore[];
  /** Mean fake probability over faces (video level for videos); `null` when no face was found. */
  score: number | null;
  /** Frames without a face (videos). */
  framesWithoutFace: number;
}

// The loader's own normalisation (ImageNet mean/std, one rounding to float32), so scores match training exactly.
const normalize = Normalize();

/** Normalises a face crop the way the training loader does: resize (pre-resize first), ImageNet mean/std. */
export async function faceTensor(image: RgbImage, input: DetectorInput): Promise<tf.Tensor4D> {
  let img = image;
  if (input.preResize !== null)
    img = await resizeImage(img, { width: input.preResize, height: input.preResize });
  img = await resizeImage(img, { width: input.inputSize, height: input.inputSize });
  const { data } = await normalize.applyParams(img, undefined);
  return tf.tensor4d(data, [1, input.inputSize, input.inputSize, 3]);
}

async function scoreFace(model: tfl.LayersModel, image: RgbImage, input: DetectorInput): Promise<number> {
  const x = await faceTensor(image, input);
  const p = tf.tidy(() => tf.slice(tf.softmax(model.predict(x) as tf.Tensor2D), [0, 1], [1, 1]));
  const value = (await p.data())[0]!;
  tf.dispose([x, p]);
  return value;
}

async function facesOf(
  image: RgbImage,
  options: DetectOptions,
  maxFaces: number,
): Promise<{ crop: RgbImage; box: FaceScore['box'] }[]> {
  if (options.faceDetector === undefined) return [{ crop: image, box: null }];
  const boxes = (await options.faceDetector.detect(image))
    .sort((a, b) => b.width * b.height - a.width * a.height)
    .slice(0, maxFaces);
  return boxes.map((b) => {
    const region = squareBox(b, image.width, image.height);
    return { crop: cropSquare(image, region), box: { x: region.x, y: region.y, size: region.size } };
  });
}

async function listMedia(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new Error(`detect: '${path}' does not exist.`);
  if (info.isFile()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await listMedia(full)));
    else if (MEDIA_EXTENSIONS.includes(extname(entry.name).toLowerCase())) out.push(full);
  }
  return out;
}

/**
 * Classifies every face of an image, a video (frames sampled evenly, largest face per frame, video score =
 * mean) or every image and video under a folder. Unreadable files are reported as errors naming the file.
 */
export async function detectFakes(
  model: tfl.LayersModel,
  paths: readonly string[],
  options: DetectOptions,
): Promise<FileDetection[]> {
  const files = (await Promise.all(paths.map(listMedia))).flat();
  if (files.length === 0) throw new Error(`detect: no images or videos under ${paths.join(', ')}.`);
  const results: FileDetection[] = [];
  for (const path of files) {
    const isImage = IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
    const faces: FaceScore[] = [];
    let framesWithoutFace = 0;
    if (isImage) {
      const image = await decodeImage(path);
      for (const f of await facesOf(image, options, options.maxFaces ?? 10)) {
        faces.push({ frame: 0, box: f.box, fake: await scoreFace(model, f.crop, options) });
      }
    } else {
      for await (const { index, image } of decodeFrames(path, { count: options.framesPerVideo ?? 32 })) {
        const found = await facesOf(image, options, options.maxFaces ?? 1);
        if (found.length === 0) framesWithoutFace++;
        for (const f of found)
          faces.push({ frame: index, box: f.box, fake: await scoreFace(model, f.crop, options) });
      }
    }
    const score = faces.length === 0 ? null : faces.reduce((s, f) => s + f.fake, 0) / faces.length;
    const result: FileDetection = {
      path,
      kind: isImage ? 'image' : 'video',
      faces,
      score,
      framesWithoutFace,
    };
    options.onFile?.(result);
    results.push(result);
  }
  return results;
}
