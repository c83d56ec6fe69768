import type { Rng } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import type { BlendMaskParams } from './blend_mask';
import { blendMask, drawBlendMask } from './blend_mask';
import type { FacePose } from './face_model';
import { fromFaceLocal, toFaceLocal } from './face_model';
import { sampleBilinear, toFloat, toRgb } from './float_image';

/** Random parameters of one FaceSwap fake video (drawn once, used for every frame). */
export interface FaceSwapParams {
  /** Paste mask: radius in [0.82, 0.95] of the target face, blend ratio 1. */
  readonly mask: BlendMaskParams;
}

/** Draws {@link FaceSwapParams}. */
export function drawFaceSwapParams(rng: Rng): FaceSwapParams {
  return { mask: drawBlendMask(rng, 0.82, 0.95, 1) };
}

/**
 * The face-swapped version of one frame (a different artefact family from SelfBlend, for generalisation
 * tests): the face of another identity (`source`, whose face is at `sourcePose`) is warped onto the target's
 * face geometry (face-local coordinates map one ellipse onto the other, so the swap follows both head
 * motions), colour-transferred (per-channel mean and standard deviation matched to the target's face) and
 * pasted through a feathered mask (`out = m·α·pasted + (1 − m·α)·target`).
 *
 * `strength` in [0, 2]: the paste opacity is `α = min(strength, 1)` and the colour transfer is applied with
 * weight `clamp(2 − strength, 0, 1)`, so above 1 the colour mismatch at the seam grows; the artefact is
 * monotone in `strength` and `strength = 0` returns an exact copy of `target`.
 */
export function faceSwapFrame(
  target: RgbImage,
  targetPose: FacePose,
  source: RgbImage,
  sourcePose: FacePose,
  params: FaceSwapParams,
  strength: number,
): RgbImage {
  const { width: w, height: h } = target;
  if (strength === 0) return { data: target.data.slice(), width: w, height: h };
  const tgt = toFloat(target);
  const src = toFloat(source);
  const m = blendMask(params.mask, targetPose, w, h);
  const pasted = new Float32Array(tgt.data.length);
  const local = [0, 0];
  const at = [0, 0];
  const px = [0, 0, 0];
  const sum = [0, 0, 0, 0, 0, 0];
  const sumT = [0, 0, 0, 0, 0, 0];
  let n = 0;
  for (let p = 0; p < w * h; p++) {
    if (m[p] === 0) continue;
    const x = (p % w) + 0.5;
    const y = Math.floor(p / w) + 0.5;
    toFaceLocal(targetPose, x, y, local);
    fromFaceLocal(sourcePose, local[0]!, local[1]!, at);
    sampleBilinear(src, at[0]!, at[1]!, px);
    for (let c = 0; c < 3; c++) pasted[p * 3 + c] = px[c]!;
    if (m[p]! > 0.5) {
      n++;
      for (let c = 0; c < 3; c++) {
        const s = px[c]!;
        const t = tgt.data[p * 3 + c]!;
        sum[c] = sum[c]! + s;
        sum[c + 3] = sum[c + 3]! + s * s;
        sumT[c] = sumT[c]! + t;
        sumT[c + 3] = sumT[c + 3]! + t * t;
      }
    }
  }
  const transfer = Math.min(1, Math.max(0, 2 - strength));
  const gain = [1, 1, 1];
  const bias = [0, 0, 0];
  if (n > 1) {
    for (let c = 0; c < 3; c++) {
      const ms = sum[c]! / n;
      const mt = sumT[c]! / n;
      const ss = Math.sqrt(Math.max(1e-6, sum[c + 3]! / n - ms * ms));
      const st = Math.sqrt(Math.max(1e-6, sumT[c + 3]! / n - mt * mt));
      // Reinhard-style transfer, blended with the identity map by `transfer`.
      const g = st / ss;
      gain[c] = 1 + (g - 1) * transfer;
      bias[c] = (mt - g * ms) * transfer;
    }
  }
  const opacity = Math.min(1, strength);
  const out = tgt.data.slice();
  for (let p = 0; p < w * h; p++) {
    const alpha = m[p]! * opacity;
    if (alpha === 0) continue;
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      const v = pasted[i]! * gain[c]! + bias[c]!;
      out[i] = alpha * v + (1 - alpha) * tgt.data[i]!;
    }
  }
  return toRgb({ data: out, width: w, height: h });
}
