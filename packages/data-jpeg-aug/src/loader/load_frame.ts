import type { Quality } from '@qad/core';
import sharp from 'sharp';
import { decodeImage, explainDecodeError } from '../image/decode_image';
import { type ResizeKernel, resizeImage } from '../image/resize_image';
import { asBytes } from '../image/rgb_image';
import type { RgbImage } from '../types';

/** Where a frame comes from, passed to a {@link FrameTransform}. */
export interface FrameInfo {
  readonly path: string;
  readonly quality: Quality;
  /** Index of the sample in the split. */
  readonly sampleIndex: number;
}

/**
 * A hook applied to each decoded frame before any resizing, for instance the test-time JPEG draws
 * ({@link jpegDrawsFrameTransform}). It must be deterministic (a function of the frame), or the loader
 * stops being reproducible.
 */
export type FrameTransform = (image: RgbImage, frame: FrameInfo) => Promise<RgbImage>;

/** How frames are brought to the network's input size. */
export interface FrameSpec {
  readonly width: number;
  readonly height: number;
  /** Square size of the first resize, or `null` to resize straight to `width × height`. */
  readonly preResize: number | null;
  readonly kernel: ResizeKernel;
  readonly frameTransform: FrameTransform | undefined;
}

/**
 * Decodes one frame and resizes it (to `preResize`, then to the input size): the same pixels as
 * `decodeImage` → `frameTransform` → `resizeImage` → `resizeImage`. Without a hook the decode and the first
 * resize run as one libvips pipeline on a libuv worker thread (shrink-on-load off, so the result does
 * not depend on the file format).
 *
 * @returns `height × width × 3` bytes.
 * @throws Error naming the file, its quality and sample.
 */
export async function loadFrame(frame: FrameInfo, spec: FrameSpec): Promise<Uint8Array> {
  const { width, height, preResize, kernel } = spec;
  try {
    let image: RgbImage;
    const firstWidth = preResize ?? width;
    const firstHeight = preResize ?? height;
    if (spec.frameTransform) {
      image = await spec.frameTransform(await decodeImage(frame.path), frame);
      image = await resizeImage(image, { width: firstWidth, height: firstHeight, kernel });
    } else {
      const { data, info } = await sharp(frame.path, { failOn: 'warning' })
        .removeAlpha()
        .toColourspace('srgb')
        .resize(firstWidth, firstHeight, { fit: 'fill', kernel, fastShrinkOnLoad: false })
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
      image = { data: asBytes(data), width: info.width, height: info.height };
    }
    image = await resizeImage(image, { width, height, kernel });
    return image.data;
  } catch (error) {
    throw new Error(
      `PairedLoader: cannot load '${frame.path}' (quality '${frame.quality}', sample ${frame.sampleIndex}): ${explainDecodeError(error)}`,
    );
  }
}
