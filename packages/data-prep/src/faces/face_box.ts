import type { RgbImage } from '@qad/data-jpeg-aug';

/** A detected face: axis-aligned box in pixels of the image it was found in, and a confidence in [0, 1]. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
}

/** Anything that finds faces in one image. */
export interface FaceDetector {
  /** Faces in `image`, any order; `[]` when there is none. */
  detect(image: RgbImage): Promise<FaceBox[]>;
}

/** An integer square region of an image: top-left corner and side, in pixels, fully inside the image. */
export interface SquareRegion {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/**
 * How {@link squareBox} keeps the square inside the image:
 * - `'shift'` (default): slide the square inside, keeping its size, so the face stays whole with its margin
 *   (only a square larger than the image's short side is shrunk to that side, centred on the face as far as
 *   the image allows).
 * - `'shrink'`: FaceForensics++'s `get_boundingbox` rule: clamp the top-left corner at 0, then cut the side
 *   down to what fits to the right and below. The face loses margin (and centring) near the borders.
 */
export type SquareClip = 'shift' | 'shrink';

/**
 * The largest face by box area (ties: higher score, then first), as the authors' pipeline keeps one face
 * per frame. `undefined` for no faces.
 *
 * @example
 * ```ts
 * largestFace([{ x: 0, y: 0, width: 10, height: 10, score: 0.9 }, { x: 5, y: 5, width: 20, height: 8, score: 0.5 }]);
 * // → the 20×8 box (area 160 > 100)
 * ```
 */
export function largestFace(boxes: readonly FaceBox[]): FaceBox | undefined {
  let best: FaceBox | undefined;
  for (const box of boxes) {
    if (best === undefined) {
      best = box;
      continue;
    }
    const area = box.width * box.height;
    const bestArea = best.width * best.height;
    if (area > bestArea || (area === bestArea && box.score > best.score)) best = box;
  }
  return best;
}

/**
 * The square face region of the authors' protocol: side `round(max(width, height) · scale)` centred on the
 * box centre, then kept inside the `imageWidth × imageHeight` image as `clip` says. The corner is
 * `round(centre − side/2)`. The result always lies fully inside the image, with side ≥ 1.
 *
 * @param box - face box in pixels (width and height > 0).
 * @param imageWidth - width of the image the box belongs to.
 * @param imageHeight - height of that image.
 * @param scale - enlargement of the box's longer side (default 1.3).
 * @param clip - border rule (default `'shift'`); see {@link SquareClip}.
 * @throws on a non-positive or non-finite box, image size or scale.
 *
 * @example
 * ```ts
 * squareBox({ x: 40, y: 30, width: 20, height: 40, score: 1 }, 200, 100); // { x: 24, y: 24, size: 52 }
 * squareBox({ x: 0, y: 0, width: 20, height: 20, score: 1 }, 200, 100);   // shifted: { x: 0, y: 0, size: 26 }
 * ```
 */
export function squareBox(
  box: Pick<FaceBox, 'x' | 'y' | 'width' | 'height'>,
  imageWidth: number,
  imageHeight: number,
  scale = 1.3,
  clip: SquareClip = 'shift',
): SquareRegion {
  const fn = 'squareBox';
  const { x, y, width, height } = box;
  if (![x, y, width, height].every(Number.isFinite) || width <= 0 || height <= 0) {
    throw new Error(`${fn}: box must have finite coordinates and positive size, got ${JSON.stringify(box)}`);
  }
  if (!Number.isInteger(imageWidth) || !Number.isInteger(imageHeight) || imageWidth < 1 || imageHeight < 1) {
    throw new Error(`${fn}: image size must be positive integers, got ${imageWidth}×${imageHeight}`);
  }
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(`${fn}: scale must be a positive number, got ${scale}`);
  if (clip !== 'shift' && clip !== 'shrink')
    throw new Error(`${fn}: clip must be 'shift' or 'shrink', got '${clip}'`);
  const cx = x + width / 2;
  const cy = y + height / 2;
  let size = Math.max(1, Math.round(Math.max(width, height) * scale));
  let left = Math.round(cx - size / 2);
  let top = Math.round(cy - size / 2);
  if (clip === 'shift') {
    size = Math.min(size, imageWidth, imageHeight);
    left = Math.round(cx - size / 2);
    top = Math.round(cy - size / 2);
    left = Math.min(Math.max(left, 0), imageWidth - size);
    top = Math.min(Math.max(top, 0), imageHeight - size);
  } else {
    left = Math.min(Math.max(left, 0), imageWidth - 1);
    top = Math.min(Math.max(top, 0), imageHeight - 1);
    size = Math.min(size, imageWidth - left, imageHeight - top);
  }
  return { x: left, y: top, size };
}
