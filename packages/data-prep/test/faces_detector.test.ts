import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RgbImage } from '@qad/data-jpeg-aug';
import { decodeImage, resizeImage } from '@qad/data-jpeg-aug';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceApiDetector } from '../src/faces/face_api_detector';
import type { FaceBox } from '../src/faces/face_box';

// A real photo that ships inside @vladmandic/face-api (demo/sample1.jpg, 1920×1280, three people). Face centres
// labelled by hand on the 640×427 version: left woman, middle woman, right woman.
const HAND_LABELLED_CENTRES: readonly [number, number][] = [
  [172, 160],
  [312, 180],
  [528, 110],
];
const faceApiDir = dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json'));
let photo: RgbImage;

beforeAll(async () => {
  photo = await resizeImage(await decodeImage(join(faceApiDir, 'demo', 'sample1.jpg')), {
    width: 640,
    height: 427,
  });
});

function matchLabels(faces: FaceBox[], tolerance: number): number {
  return HAND_LABELLED_CENTRES.filter(([x, y]) =>
    faces.some((f) => Math.hypot(f.x + f.width / 2 - x, f.y + f.height / 2 - y) <= tolerance),
  ).length;
}

function expectWellFormed(faces: FaceBox[], image: RgbImage): void {
  for (const f of faces) {
    expect(f.x).toBeGreaterThanOrEqual(0);
    expect(f.y).toBeGreaterThanOrEqual(0);
    expect(f.width).toBeGreaterThan(0);
    expect(f.height).toBeGreaterThan(0);
    expect(f.x + f.width).toBeLessThanOrEqual(image.width);
    expect(f.y + f.height).toBeLessThanOrEqual(image.height);
    expect(f.score).toBeGreaterThanOrEqual(0);
    expect(f.score).toBeLessThanOrEqual(1);
  }
}

describe('createFaceApiDetector', () => {
  it('SSD MobileNet v1 finds the three hand-labelled faces, frees its tensors and restores the backend', async () => {
    expect(tf.getBackend()).toBe('cpu');
    const before = tf.memory().numTensors;
    const detector = await createFaceApiDetector();
    expect(detector.model).toBe('ssdMobilenetv1');
    expect(tf.getBackend()).toBe('cpu');
    const loaded = tf.memory().numTensors;
    expect(loaded).toBeGreaterThan(before); // the weights

    const faces = await detector.detect(photo);
    expect(tf.memory().numTensors).toBe(loaded);
    expect(tf.getBackend()).toBe('cpu');
    expect(faces).toHaveLength(3);
    expectWellFormed(faces, photo);
    expect(matchLabels(faces, 20)).toBe(3);
    for (const f of faces) {
      expect(f.score).toBeGreaterThan(0.9);
      expect(f.width).toBeGreaterThan(40); // faces here are 60–70 px wide
      expect(f.width).toBeLessThan(110);
    }

    const grey: RgbImage = { data: new Uint8Array(320 * 240 * 3).fill(128), width: 320, height: 240 };
    expect(await detector.detect(grey)).toEqual([]);
    expect(tf.memory().numTensors).toBe(loaded);

    detector.dispose();
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(detector.detect(grey)).rejects.toThrow('createFaceApiDetector: detect called after dispose');
  });

  it('the tiny face detector finds the same faces (looser boxes)', async () => {
    const before = tf.memory().numTensors;
    const detector = await createFaceApiDetector({ model: 'tinyFaceDetector', inputSize: 416 });
    const faces = await detector.detect(photo);
    expectWellFormed(faces, photo);
    expect(matchLabels(faces, 25)).toBe(3);
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('concurrent detect calls give identical results and leave the backend as it was', async () => {
    const detector = await createFaceApiDetector({ model: 'tinyFaceDetector' });
    const small = await resizeImage(photo, { width: 320, height: 214 });
    const results = await Promise.all([
      detector.detect(small),
      detector.detect(small),
      detector.detect(small),
    ]);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(tf.getBackend()).toBe('cpu');
    detector.dispose();
  });

  it('rejects bad options and a missing weight folder, and malformed images', async () => {
    await expect(createFaceApiDetector({ model: 'yolo' as never })).rejects.toThrow(
      "createFaceApiDetector: model must be 'ssdMobilenetv1' or 'tinyFaceDetector', got 'yolo'",
    );
    await expect(createFaceApiDetector({ minConfidence: 2 })).rejects.toThrow(
      'minConfidence must be in [0, 1], got 2',
    );
    await expect(createFaceApiDetector({ inputSize: 100 })).rejects.toThrow(
      'inputSize must be a positive multiple of 32, got 100',
    );
    await expect(createFaceApiDetector({ modelDir: '/nonexistent/weights' })).rejects.toThrow(
      "createFaceApiDetector: cannot load the ssdMobilenetv1 weights from '/nonexistent/weights'",
    );
    expect(tf.getBackend()).toBe('cpu');
    const detector = await createFaceApiDetector({ model: 'tinyFaceDetector' });
    await expect(detector.detect({ data: new Uint8Array(5), width: 2, height: 2 })).rejects.toThrow(
      'FaceApiDetector.detect: image must be an RgbImage with width·height·3 bytes',
    );
    detector.dispose();
  });
});
