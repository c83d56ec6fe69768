import type { Rng } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import type { BlendMaskParams } from './blend_mask';
import { blendMask, drawBlendMask } from './blend_mask';
import type { FacePose } from './face_model';
import { type FloatImage, gaussianBlur, sampleBilinear, toFloat, toRgb } from './float_image';

/**
 * Random parameters of one SelfBlend fake video, drawn once and used for every frame (temporal consistency).
 * Magnitudes are given at strength 1; {@link selfBlendFrame} multiplies each by the strength.
 */
export interface SelfBlendParams {
  /** Per-channel offset of the source, 0–255 units (|value| in [6, 18]). */
  readonly colourShift: readonly [number, number, number];
  /** Contrast change of the source: factor `1 + contrast·s` around mid-grey (|contrast| in [0.05, 0.15]). */
  readonly contrast: number;
  /** Frequency change of the source: a Gaussian blur or an unsharp-mask sharpen. */
  readonly frequency: 'blur' | 'sharpen';
  /** Blur σ in px (in [0.6, 1.2]) or sharpen amount (in [0.6, 1.2]) at strength 1. */
  readonly frequencyAmount: number;
  /** Relative scale change of the source about the face centre (|value| in [0.01, 0.04]). */
  readonly scale: number;
  /** Translation of the source, in fractions of the face's width and height (|value| in [0.01, 0.04]). */
  readonly shift: readonly [number, number];
  readonly mask: BlendMaskParams;
}

function signed(rng: Rng, lo: number, hi: number): number {
  return (rng.chance(0.5) ? -1 : 1) * rng.uniform(lo, hi);
}

/** Draws {@link SelfBlendParams}; mask radius in [0.85, 1.0] of the face ellipse. */
export function drawSelfBlendParams(rng: Rng): SelfBlendParams {
  return {
    colourShift: [signed(rng, 6, 18), signed(rng, 6, 18), signed(rng, 6, 18)],
    contrast: signed(rng, 0.05, 0.15),
    frequency: rng.chance(0.5) ? 'blur' : 'sharpen',
    frequencyAmount: rng.uniform(0.6, 1.2),
    scale: signed(rng, 0.01, 0.04),
    shift: [signed(rng, 0.01, 0.04), signed(rng, 0.01, 0.04)],
    mask: drawBlendMask(rng, 0.85, 1),
  };
}

/**
 * The self-blended (SBI-style) version of one frame: a source copy of `target` gets the colour/contrast
 * shift, the blur or sharpen and the affine warp of `params`, each scaled by `strength`, and is blended back
 * through the soft face mask at `pose`: `out = m·source + (1 − m)·target`. Pixels where the mask is 0 are
 * returned unchanged, and `strength = 0` returns an exact copy of `target`. For `strength` in [0, 2] every
 * change grows linearly with it, so the artefact's visibility is monotone in `strength`.
 */
export function selfBlendFrame(
  target: RgbImage,
  pose: FacePose,
  params: SelfBlendParams,
  strength: number,
): RgbImage {
  const { width: w, height: h } = target;
  if (strength === 0) return { data: target.data.slice(), width: w, height: h };
  const tgt = toFloat(target);
  const k = 1 + params.contrast * strength;
  const shifted = new Float32Array(tgt.data.length);
  for (let i = 0; i < shifted.length; i++) {
    shifted[i] = (tgt.data[i]! - 128) * k + 128 + params.colourShift[i % 3]! * strength;
  }
  let src: FloatImage = { data: shifted, width: w, height: h };
  const amount = params.frequencyAmount * strength;
  if (params.frequency === 'blur') {
    src = gaussianBlur(src, amount);
  } else {
    const low = gaussianBlur(src, 1);
    const sharp = new Float32Array(shifted.length);
    for (let i = 0; i < sharp.length; i++) sharp[i] = shifted[i]! + amount * (shifted[i]! - low.data[i]!);
    src = { data: sharp, width: w, height: h };
  }
  const m = blendMask(params.mask, pose, w, h);
  const zoom = 1 + params.scale * strength;
  const tx = params.shift[0] * 2 * pose.a * strength;
  const ty = params.shift[1] * 2 * pose.b * strength;
  const out = new Float32Array(tgt.data.length);
  const px = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const alpha = m[p]!;
      const i = p * 3;
      if (alpha === 0) {
        out[i] = tgt.data[i]!;
        out[i + 1] = tgt.data[i + 1]!;
        out[i + 2] = tgt.data[i + 2]!;
        continue;
      }
      // Inverse map: the warped source at p shows the source at c + (p − c − t) / zoom.
      sampleBilinear(
        src,
        pose.cx + (x + 0.5 - pose.cx - tx) / zoom,
        pose.cy + (y + 0.5 - pose.cy - ty) / zoom,
        px,
      );
      for (let c = 0; c < 3; c++) out[i + c] = alpha * px[c]! + (1 - alpha) * tgt.data[i + c]!;
    }
  }
  return toRgb({ data: out, width: w, height: h });
}
