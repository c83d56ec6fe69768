import { Rng } from '@qad/core';
import type { FaceBox } from '@qad/data-prep';

/** An RGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/**
 * Appearance of one synthetic identity, in face-local units (the face ellipse has radius 1; `u` grows to the
 * right, `v` downwards). Every field is drawn from the identity's seed by {@link makeIdentity}.
 */
export interface FaceIdentity {
  readonly seed: number;
  readonly skin: Rgb;
  readonly hair: Rgb;
  readonly iris: Rgb;
  readonly lips: Rgb;
  /** Unit light direction (x right, y down, z towards the camera) for the Lambert shading. */
  readonly light: readonly [number, number, number];
  /** Vertical / horizontal semi-axis ratio of the face ellipse. */
  readonly aspect: number;
  /** Hairline height (`v` where the hair ends) and its waviness. */
  readonly hairline: number;
  readonly hairWave: number;
  /** Eye centres at `(±eyeX, eyeY)`, with radii `eyeRx`, `eyeRy`. */
  readonly eyeX: number;
  readonly eyeY: number;
  readonly eyeRx: number;
  readonly eyeRy: number;
  /** Gaze offset of the irises, in eye radii. */
  readonly gaze: readonly [number, number];
  readonly browGap: number;
  readonly browTilt: number;
  readonly noseWidth: number;
  readonly noseY: number;
  readonly mouthY: number;
  readonly mouthHalfWidth: number;
  readonly mouthHalfHeight: number;
  /** Curvature of the mouth line (positive = smile). */
  readonly smile: number;
}

/**
 * Slow, temporally smooth head motion of one video: the face centre (fractions of the frame), size (fraction
 * of the shorter frame side) and in-plane rotation follow sines with at most about one cycle per video.
 */
export interface FaceMotion {
  readonly centerX: number;
  readonly centerY: number;
  readonly panX: number;
  readonly panY: number;
  readonly cyclesX: number;
  readonly cyclesY: number;
  readonly phaseX: number;
  readonly phaseY: number;
  readonly size: number;
  readonly zoom: number;
  readonly zoomPhase: number;
  readonly angle: number;
  readonly tilt: number;
  readonly tiltPhase: number;
}

/** Where the face is in one frame: centre and semi-axes in pixels, rotation in radians. */
export interface FacePose {
  readonly cx: number;
  readonly cy: number;
  /** Horizontal semi-axis (face-local `u = 1`), px. */
  readonly a: number;
  /** Vertical semi-axis (face-local `v = 1`), px. */
  readonly b: number;
  readonly angle: number;
}

/** An axis-aligned box in pixels (`x`, `y` = top-left corner): a face box without a detector score. */
export type PoseBox = Omit<FaceBox, 'score'>;

function skinTone(rng: Rng): Rgb {
  // From pale to dark skin: one lightness draw with warm ratios between channels.
  const l = rng.uniform(0.35, 1);
  const r = 90 + 150 * l;
  return [r, r * rng.uniform(0.68, 0.82), r * rng.uniform(0.52, 0.68)];
}

/** Draws the appearance of an identity from `seed`. */
export function makeIdentity(seed: number): FaceIdentity {
  const rng = new Rng(seed);
  const hairL = rng.uniform(0.08, 0.8);
  const lx = rng.uniform(-0.6, 0.6);
  const ly = rng.uniform(-0.6, -0.1);
  const lz = Math.sqrt(Math.max(0.2, 1 - lx * lx - ly * ly));
  const ln = Math.hypot(lx, ly, lz);
  const skin = skinTone(rng);
  return {
    seed: Math.floor(rng.next() * 2 ** 31),
    skin,
    hair: [255 * hairL, 255 * hairL * rng.uniform(0.55, 0.85), 255 * hairL * rng.uniform(0.3, 0.6)],
    iris: [rng.uniform(30, 120), rng.uniform(40, 130), rng.uniform(30, 160)],
    lips: [Math.min(255, skin[0] * 0.95 + 20), skin[1] * 0.6, skin[2] * 0.65],
    light: [lx / ln, ly / ln, lz / ln],
    aspect: rng.uniform(1.2, 1.42),
    hairline: rng.uniform(-0.72, -0.5),
    hairWave: rng.uniform(0, 0.1),
    eyeX: rng.uniform(0.3, 0.42),
    eyeY: rng.uniform(-0.22, -0.08),
    eyeRx: rng.uniform(0.12, 0.17),
    eyeRy: rng.uniform(0.06, 0.09),
    gaze: [rng.uniform(-0.3, 0.3), rng.uniform(-0.2, 0.2)],
    browGap: rng.uniform(0.14, 0.22),
    browTilt: rng.uniform(-0.12, 0.12),
    noseWidth: rng.uniform(0.07, 0.12),
    noseY: rng.uniform(0.18, 0.28),
    mouthY: rng.uniform(0.46, 0.58),
    mouthHalfWidth: rng.uniform(0.22, 0.36),
    mouthHalfHeight: rng.uniform(0.045, 0.08),
    smile: rng.uniform(-0.08, 0.25),
  };
}

/** Draws the head motion of a video from `seed`. */
export function makeMotion(seed: number): FaceMotion {
  const rng = new Rng(seed);
  return {
    centerX: rng.uniform(0.44, 0.56),
    centerY: rng.uniform(0.46, 0.54),
    panX: rng.uniform(0.01, 0.05),
    panY: rng.uniform(0.005, 0.03),
    cyclesX: rng.uniform(0.3, 1),
    cyclesY: rng.uniform(0.2, 0.8),
    phaseX: rng.uniform(0, 2 * Math.PI),
    phaseY: rng.uniform(0, 2 * Math.PI),
    size: rng.uniform(0.2, 0.24),
    zoom: rng.uniform(0.01, 0.06),
    zoomPhase: rng.uniform(0, 2 * Math.PI),
    angle: rng.uniform(-0.12, 0.12),
    tilt: rng.uniform(0.01, 0.08),
    tiltPhase: rng.uniform(0, 2 * Math.PI),
  };
}

/**
 * The face's pose in frame `t` of a `frames`-frame video of `width × height`: smooth in `t` (sines of at most
 * about one cycle over the video) and always fully inside the frame.
 */
export function facePose(
  identity: FaceIdentity,
  motion: FaceMotion,
  t: number,
  frames: number,
  width: number,
  height: number,
): FacePose {
  const tau = frames > 1 ? t / (frames - 1) : 0;
  const side = Math.min(width, height);
  const zoom = 1 + motion.zoom * Math.sin(2 * Math.PI * tau + motion.zoomPhase);
  const a = motion.size * side * zoom;
  return {
    cx: width * (motion.centerX + motion.panX * Math.sin(2 * Math.PI * motion.cyclesX * tau + motion.phaseX)),
    cy:
      height * (motion.centerY + motion.panY * Math.sin(2 * Math.PI * motion.cyclesY * tau + motion.phaseY)),
    a,
    b: a * identity.aspect,
    angle: motion.angle + motion.tilt * Math.sin(2 * Math.PI * tau + motion.tiltPhase),
  };
}

/** The tight axis-aligned box of the (rotated) face ellipse of `pose`. */
export function poseBox(pose: FacePose): PoseBox {
  const c = Math.cos(pose.angle);
  const s = Math.sin(pose.angle);
  const hx = Math.sqrt(pose.a * pose.a * c * c + pose.b * pose.b * s * s);
  const hy = Math.sqrt(pose.a * pose.a * s * s + pose.b * pose.b * c * c);
  return { x: pose.cx - hx, y: pose.cy - hy, width: 2 * hx, height: 2 * hy };
}

/** Face-local coordinates `(u, v)` of the pixel centre `(px, py)` under `pose`. */
export function toFaceLocal(pose: FacePose, px: number, py: number, out: number[]): void {
  const dx = px - pose.cx;
  const dy = py - pose.cy;
  const c = Math.cos(pose.angle);
  const s = Math.sin(pose.angle);
  out[0] = (dx * c + dy * s) / pose.a;
  out[1] = (-dx * s + dy * c) / pose.b;
}

/** Pixel coordinates of the face-local point `(u, v)` under `pose` (inverse of {@link toFaceLocal}). */
export function fromFaceLocal(pose: FacePose, u: number, v: number, out: number[]): void {
  const x = u * pose.a;
  const y = v * pose.b;
  const c = Math.cos(pose.angle);
  const s = Math.sin(pose.angle);
  out[0] = pose.cx + x * c - y * s;
  out[1] = pose.cy + x * s + y * c;
}
