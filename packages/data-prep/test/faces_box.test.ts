import { describe, expect, it } from 'vitest';
import { cropSquare } from '../src/faces/crop_square';
import { videoDirName } from '../src/faces/extract_face_crops';
import { type FaceBox, largestFace, squareBox } from '../src/faces/face_box';
import { formatProgress } from '../src/faces/progress_line';

const box = (x: number, y: number, width: number, height: number, score = 1): FaceBox => ({
  x,
  y,
  width,
  height,
  score,
});

describe('largestFace', () => {
  it('picks the largest area, then the higher score, then the first', () => {
    expect(largestFace([])).toBeUndefined();
    const a = box(0, 0, 10, 10, 0.9); // 100
    const b = box(5, 5, 20, 8, 0.5); // 160
    const c = box(9, 9, 16, 10, 0.7); // 160, higher score than b
    const d = box(1, 1, 10, 16, 0.7); // 160, same score as c, later
    expect(largestFace([a, b])).toBe(b);
    expect(largestFace([a, b, c])).toBe(c);
    expect(largestFace([a, c, d])).toBe(c);
    expect(largestFace([d, c])).toBe(d);
  });
});

describe('squareBox (hand-computed)', () => {
  it('squares the longer side × 1.3 around the box centre', () => {
    // centre (50, 50), side round(40 · 1.3) = 52, corner round(50 − 26) = 24
    expect(squareBox(box(40, 30, 20, 40), 200, 100)).toEqual({ x: 24, y: 24, size: 52 });
    // centre (55, 55), side 13, corner round(48.5) = 49
    expect(squareBox(box(50, 50, 10, 10), 200, 100)).toEqual({ x: 49, y: 49, size: 13 });
    // scale 1: side 30 = the width, centre (25, 25)
    expect(squareBox(box(10, 20, 30, 10), 200, 100, 1)).toEqual({ x: 10, y: 10, size: 30 });
  });

  it("'shift' slides a square that sticks out back inside, keeping its size", () => {
    // top-left: corner (−3, −3) → (0, 0)
    expect(squareBox(box(0, 0, 20, 20), 200, 100)).toEqual({ x: 0, y: 0, size: 26 });
    // box partly outside on the left (detectors do that): corner (−8, 7) → (0, 7)
    expect(squareBox(box(-5, 10, 20, 20), 200, 100)).toEqual({ x: 0, y: 7, size: 26 });
    // bottom-right: corner (177, 77) → (200 − 26, 100 − 26) = (174, 74)
    expect(squareBox(box(180, 80, 20, 20), 200, 100)).toEqual({ x: 174, y: 74, size: 26 });
  });

  it("'shift' shrinks only a square larger than the image's short side, to that side", () => {
    // side round(90 · 1.3) = 117 > 100 → 100; centre (55, 55) → corner (5, 5), then y clamped to 100 − 100 = 0
    expect(squareBox(box(10, 10, 90, 90), 200, 100)).toEqual({ x: 5, y: 0, size: 100 });
  });

  it("'shrink' clamps the corner at 0 and cuts the side at the right/bottom border (FaceForensics++ rule)", () => {
    // corner (177, 77) kept, side min(26, 200 − 177, 100 − 77) = 23
    expect(squareBox(box(180, 80, 20, 20), 200, 100, 1.3, 'shrink')).toEqual({ x: 177, y: 77, size: 23 });
    // corner round(55 − 58.5) = −3 → 0, side min(117, 200, 100) = 100
    expect(squareBox(box(10, 10, 90, 90), 200, 100, 1.3, 'shrink')).toEqual({ x: 0, y: 0, size: 100 });
    // inside the image both rules agree
    expect(squareBox(box(40, 30, 20, 40), 200, 100, 1.3, 'shrink')).toEqual({ x: 24, y: 24, size: 52 });
  });

  it('always returns a square inside the image', () => {
    for (const [x, y, w, h] of [
      [-50, -50, 30, 30],
      [190, 95, 40, 40],
      [0, 0, 500, 10],
      [100, 40, 1, 1],
    ] as const) {
      for (const clip of ['shift', 'shrink'] as const) {
        const s = squareBox(box(x, y, w, h), 200, 100, 1.3, clip);
        expect(s.x).toBeGreaterThanOrEqual(0);
        expect(s.y).toBeGreaterThanOrEqual(0);
        expect(s.size).toBeGreaterThanOrEqual(1);
        expect(s.x + s.size).toBeLessThanOrEqual(200);
        expect(s.y + s.size).toBeLessThanOrEqual(100);
      }
    }
  });

  it('rejects bad boxes, image sizes, scales and clip rules', () => {
    expect(() => squareBox(box(0, 0, 0, 10), 10, 10)).toThrow(
      'squareBox: box must have finite coordinates and positive size',
    );
    expect(() => squareBox(box(Number.NaN, 0, 5, 5), 10, 10)).toThrow('squareBox: box must have finite');
    expect(() => squareBox(box(0, 0, 5, 5), 0, 10)).toThrow(
      'squareBox: image size must be positive integers, got 0×10',
    );
    expect(() => squareBox(box(0, 0, 5, 5), 10, 10, 0)).toThrow(
      'squareBox: scale must be a positive number, got 0',
    );
    expect(() => squareBox(box(0, 0, 5, 5), 10, 10, 1.3, 'pad' as never)).toThrow(
      "clip must be 'shift' or 'shrink', got 'pad'",
    );
  });
});

describe('cropSquare', () => {
  it('copies exactly the pixels of the region', () => {
    // 4×3 image whose byte at (x, y, c) is 100·y + 10·x + c
    const data = new Uint8Array(4 * 3 * 3);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++)
        for (let c = 0; c < 3; c++) data[(y * 4 + x) * 3 + c] = 100 * y + 10 * x + c;
    const crop = cropSquare({ data, width: 4, height: 3 }, { x: 2, y: 1, size: 2 });
    expect([crop.width, crop.height]).toEqual([2, 2]);
    expect([...crop.data]).toEqual([120, 121, 122, 130, 131, 132, 220, 221, 222, 230, 231, 232]);
  });

  it('rejects a region outside the image or not integer', () => {
    const image = { data: new Uint8Array(4 * 3 * 3), width: 4, height: 3 };
    expect(() => cropSquare(image, { x: 2, y: 1, size: 3 })).toThrow(
      'cropSquare: region {"x":2,"y":1,"size":3} is not an integer square inside the 4×3 image',
    );
    expect(() => cropSquare(image, { x: 0.5, y: 0, size: 1 })).toThrow('is not an integer square');
  });
});

describe('videoDirName', () => {
  it('keeps safe ids and makes unsafe ones safe and distinct', () => {
    expect(videoDirName('Deepfakes/000_003')).toBe('Deepfakes/000_003');
    const a = videoDirName('Celeb real/id0 0000');
    const b = videoDirName('Celeb_real/id0_0000');
    expect(a).toMatch(/^Celeb_real\/id0_0000~[0-9a-f]{8}$/);
    expect(b).toBe('Celeb_real/id0_0000');
    expect(videoDirName('../etc/passwd')).toMatch(/^_\/etc\/passwd~[0-9a-f]{8}$/);
  });
});

describe('formatProgress', () => {
  it('draws the bar from videos done and shows the counts and ETA', () => {
    const line = formatProgress(
      {
        videosDone: 5,
        videosTotal: 20,
        videosResumed: 0,
        videosFailed: 1,
        framesCropped: 150,
        framesSkipped: 3,
        currentVideo: 'x',
        elapsedMs: 1000,
        etaMs: 125_000,
      },
      8,
    );
    expect(line).toBe('faces [##······] 5/20 videos · 150 crops · 3 no face · 1 failed · ETA 2m05s');
  });
});
