import type { RgbImage } from '@qad/data-jpeg-aug';
import type { Background } from './background';
import type { FaceIdentity, FaceMotion, FacePose } from './face_model';
import { facePose, poseBox, toFaceLocal } from './face_model';
import { toRgb } from './float_image';
import { fractalNoise, valueNoise } from './value_noise';

/** Coverage in [0, 1] of a pixel whose signed distance to a shape's edge is `d` px (negative inside). */
function coverage(d: number): number {
  return d <= -0.5 ? 1 : d >= 0.5 ? 0 : 0.5 - d;
}

/**
 * Signed distance in px to an ellipse centred at the origin with radii `rx`, `ry` (px), at the point
 * `(x, y)` (px): the implicit function divided by its gradient norm, exact on the edge, which is all the
 * one-pixel antialiasing needs.
 */
function ellipseDistance(x: number, y: number, rx: number, ry: number): number {
  const q = Math.sqrt((x * x) / (rx * rx) + (y * y) / (ry * ry));
  if (q < 1e-9) return -Math.min(rx, ry);
  const g = Math.sqrt((x * x) / (rx * rx * rx * rx) + (y * y) / (ry * ry * ry * ry)) / q;
  return (q - 1) / g;
}

function mix(col: number[], r: number, g: number, b: number, alpha: number): void {
  col[0] = col[0]! + (r - col[0]!) * alpha;
  col[1] = col[1]! + (g - col[1]!) * alpha;
  col[2] = col[2]! + (b - col[2]!) * alpha;
}

/**
 * Colour of the face at face-local `(u, v)` into `col` (which holds the background on entry), returning
 * nothing: features are painted back to front (skin, hair, brows, eyes, nose, mouth), each antialiased over
 * one pixel (`a`, `b` = the pose's semi-axes in px, to convert local units to px).
 */
function shadeFace(id: FaceIdentity, u: number, v: number, a: number, b: number, col: number[]): void {
  const alpha = coverage(ellipseDistance(u * a, v * b, a, b));
  if (alpha <= 0) return;
  const rr = u * u + v * v;
  const nz = Math.sqrt(Math.max(0, 1 - rr));
  const lambert = Math.max(0, u * id.light[0] + v * id.light[1] + nz * id.light[2]);
  const shade = 0.55 + 0.45 * lambert;
  const tex = (fractalNoise(u * 5 + 11.3, v * 5 + 7.1, id.seed, 3) - 0.5) * 22;
  const pores = (valueNoise(u * 26 + 3.7, v * 26 + 1.9, id.seed ^ 0x5bd1e995) - 0.5) * 10;
  const cheek = 14 * Math.exp(-((Math.abs(u) - 0.5) ** 2 + (v - 0.22) ** 2) / 0.03);
  const f: number[] = [
    id.skin[0] * shade + tex + pores + cheek,
    id.skin[1] * shade + tex + pores,
    id.skin[2] * shade + tex + pores,
  ];

  // Hair: above a wavy hairline.
  const hairEdge = id.hairline + id.hairWave * Math.sin(u * 7 + id.seed);
  const hairA = coverage((v - hairEdge) * b);
  if (hairA > 0) {
    const strand = 0.75 + 0.35 * valueNoise(u * 40, v * 5, id.seed ^ 0x27d4eb2d);
    mix(f, id.hair[0] * strand, id.hair[1] * strand, id.hair[2] * strand, hairA);
  }

  const side = u < 0 ? -1 : 1;
  const eu = u - side * id.eyeX;
  // Brows: a thick arc above each eye, tilted outwards.
  const browV = id.eyeY - id.browGap + id.browTilt * eu * side;
  const browA = coverage((Math.abs(v - browV) - 0.028) * b) * coverage((Math.abs(eu) - id.eyeRx * 1.25) * a);
  if (browA > 0) mix(f, id.hair[0] * 0.8, id.hair[1] * 0.8, id.hair[2] * 0.8, browA);

  // Eyes: sclera, iris, pupil, and a darker upper lid line.
  const ev = v - id.eyeY;
  const scleraA = coverage(ellipseDistance(eu * a, ev * b, id.eyeRx * a, id.eyeRy * b));
  if (scleraA > 0) {
    mix(f, 232, 230, 224, scleraA);
    const ir = id.eyeRy * 0.95;
    const iu = eu - id.gaze[0] * id.eyeRx * 0.5;
    const iv = ev - id.gaze[1] * id.eyeRy * 0.5;
    const irisA = coverage(ellipseDistance(iu * a, iv * b, ir * a, ir * b)) * scleraA;
    if (irisA > 0) mix(f, id.iris[0], id.iris[1], id.iris[2], irisA);
    const pupilA = coverage(ellipseDistance(iu * a, iv * b, ir * 0.45 * a, ir * 0.45 * b)) * scleraA;
    if (pupilA > 0) mix(f, 12, 10, 10, pupilA);
    const lidA = scleraA * Math.max(0, Math.min(1, (-ev / id.eyeRy - 0.55) * 2.5));
    if (lidA > 0) mix(f, id.skin[0] * 0.45, id.skin[1] * 0.4, id.skin[2] * 0.4, lidA);
  }

  // Nose: shaded sides between the eyes and the tip, and two nostrils.
  if (v > id.eyeY && v < id.noseY + 0.04) {
    const ridge = Math.exp(-(((Math.abs(u) - id.noseWidth) / 0.035) ** 2));
    const k = 1 - 0.18 * ridge * Math.min(1, (v - id.eyeY) / 0.1);
    f[0] = f[0]! * k;
    f[1] = f[1]! * k;
    f[2] = f[2]! * k;
  }
  const nostrilA = coverage(
    ellipseDistance((Math.abs(u) - id.noseWidth * 0.8) * a, (v - id.noseY) * b, 0.045 * a, 0.025 * b),
  );
  if (nostrilA > 0) mix(f, id.skin[0] * 0.35, id.skin[1] * 0.3, id.skin[2] * 0.3, nostrilA);

  // Mouth: lips bent by the smile, and a dark line between them.
  const mw = id.mouthHalfWidth;
  const bend = id.smile * ((u / mw) ** 2 - 1) * 0.5;
  const mv = v - id.mouthY + bend;
  const lipsA = coverage(ellipseDistance(u * a, mv * b, mw * a, id.mouthHalfHeight * b));
  if (lipsA > 0) {
    mix(f, id.lips[0] * shade, id.lips[1] * shade, id.lips[2] * shade, lipsA);
    const lineA = coverage((Math.abs(mv) - 0.01) * b) * lipsA;
    if (lineA > 0) mix(f, 60, 25, 25, lineA);
  }

  mix(col, f[0]!, f[1]!, f[2]!, alpha);
}

/** One rendered frame: 8-bit pixels, the face's pose and its tight box. */
export interface RenderedFrame {
  readonly image: RgbImage;
  readonly pose: FacePose;
}

/**
 * Renders frame `t` of a synthetic video: `background` with the face of `identity` at the pose that `motion`
 * gives for this frame. Deterministic: the same arguments give the same bytes.
 */
export function renderFrame(
  identity: FaceIdentity,
  motion: FaceMotion,
  background: Background,
  t: number,
  frames: number,
  width: number,
  height: number,
): RenderedFrame {
  const buf = new Float32Array(width * height * 3);
  background.fill(t, buf, width, height);
  const pose = facePose(identity, motion, t, frames, width, height);
  const box = poseBox(pose);
  const x0 = Math.max(0, Math.floor(box.x) - 1);
  const x1 = Math.min(width, Math.ceil(box.x + box.width) + 1);
  const y0 = Math.max(0, Math.floor(box.y) - 1);
  const y1 = Math.min(height, Math.ceil(box.y + box.height) + 1);
  const local = [0, 0];
  const col = [0, 0, 0];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 3;
      toFaceLocal(pose, x + 0.5, y + 0.5, local);
      col[0] = buf[i]!;
      col[1] = buf[i + 1]!;
      col[2] = buf[i + 2]!;
      shadeFace(identity, local[0]!, local[1]!, pose.a, pose.b, col);
      buf[i] = col[0]!;
      buf[i + 1] = col[1]!;
      buf[i + 2] = col[2]!;
    }
  }
  return { image: toRgb({ data: buf, width, height }), pose };
}
