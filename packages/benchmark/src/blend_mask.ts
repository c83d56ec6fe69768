import type { Rng } from '@qad/core';
import type { FacePose } from './face_model';
import { poseBox, toFaceLocal } from './face_model';

/**
 * A soft blending mask in face-local coordinates (so it follows the face from frame to frame): the face
 * ellipse scaled by `radius`, its edge deformed by a few low harmonics (the elastic deformation of SBI's
 * landmark hull), faded to 0 over the outer `edge` fraction of the radius (the blur), and multiplied by
 * `ratio` (SBI's blend ratio from {0.25, 0.5, 0.75, 1}).
 */
export interface BlendMaskParams {
  readonly radius: number;
  readonly edge: number;
  readonly ratio: number;
  readonly harmonics: ReadonlyArray<{ readonly k: number; readonly amp: number; readonly phase: number }>;
}

/** SBI's blend ratios. */
export const BLEND_RATIOS: readonly number[] = [0.25, 0.5, 0.75, 1];

/** Draws mask parameters: radius in `[rMin, rMax]`, edge in `[0.1, 0.3]`, harmonics 2–4 of amplitude ≤ 0.04. */
export function drawBlendMask(rng: Rng, rMin: number, rMax: number, ratio?: number): BlendMaskParams {
  return {
    radius: rng.uniform(rMin, rMax),
    edge: rng.uniform(0.1, 0.3),
    ratio: ratio ?? (BLEND_RATIOS[rng.int(0, BLEND_RATIOS.length - 1)] as number),
    harmonics: [2, 3, 4].map((k) => ({ k, amp: rng.uniform(0, 0.04), phase: rng.uniform(0, 2 * Math.PI) })),
  };
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** The largest face-local radius the mask can reach (it is exactly 0 beyond). */
export function maskReach(params: BlendMaskParams): number {
  return params.radius * (1 + params.harmonics.reduce((s, h) => s + h.amp, 0));
}

/** The mask of `params` at `pose` on a `width × height` frame: one value in `[0, ratio]` per pixel. */
export function blendMask(
  params: BlendMaskParams,
  pose: FacePose,
  width: number,
  height: number,
): Float32Array {
  const m = new Float32Array(width * height);
  const reach = maskReach(params);
  const box = poseBox({ ...pose, a: pose.a * reach, b: pose.b * reach });
  const x0 = Math.max(0, Math.floor(box.x) - 1);
  const x1 = Math.min(width, Math.ceil(box.x + box.width) + 1);
  const y0 = Math.max(0, Math.floor(box.y) - 1);
  const y1 = Math.min(height, Math.ceil(box.y + box.height) + 1);
  const local = [0, 0];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      toFaceLocal(pose, x + 0.5, y + 0.5, local);
      const u = local[0]!;
      const v = local[1]!;
      const phi = Math.atan2(v, u);
      let r = 1;
      for (const h of params.harmonics) r += h.amp * Math.sin(h.k * phi + h.phase);
      r *= params.radius;
      m[y * width + x] = params.ratio * (1 - smoothstep(r * (1 - params.edge), r, Math.hypot(u, v)));
    }
  }
  return m;
}
