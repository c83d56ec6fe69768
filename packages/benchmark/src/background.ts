import { Rng } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import { fractalNoise } from './value_noise';

/** Fills frame `t`'s background into `out` (interleaved RGB floats, `width × height × 3`). */
export interface Background {
  fill(t: number, out: Float32Array, width: number, height: number): void;
}

/**
 * A textured, slowly panning background drawn from `seed`: two colours mixed by fractal value noise, a soft
 * lighting gradient and faint stripes (wall-paper like structure), translated by a constant sub-pixel velocity
 * per frame, like a camera pan.
 */
export function syntheticBackground(seed: number): Background {
  const rng = new Rng(seed);
  const colour = () => [rng.uniform(20, 235), rng.uniform(20, 235), rng.uniform(20, 235)] as const;
  const c1 = colour();
  const c2 = colour();
  const cells = rng.uniform(2.5, 6);
  const vx = rng.uniform(-0.6, 0.6);
  const vy = rng.uniform(-0.4, 0.4);
  const gAngle = rng.uniform(0, 2 * Math.PI);
  const gx = Math.cos(gAngle);
  const gy = Math.sin(gAngle);
  const sAngle = rng.uniform(0, Math.PI);
  const sx = Math.cos(sAngle);
  const sy = Math.sin(sAngle);
  const sFreq = rng.uniform(0.15, 0.5);
  const sAmp = rng.uniform(0, 12);
  const noiseSeed = Math.floor(rng.next() * 2 ** 31);
  return {
    fill(t, out, width, height) {
      const cell = Math.max(width, height) / cells;
      const ox = vx * t;
      const oy = vy * t;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const X = x + 0.5 + ox;
          const Y = y + 0.5 + oy;
          const n = fractalNoise(X / cell, Y / cell, noiseSeed, 4);
          const g = 0.85 + 0.3 * (gx * (x / width - 0.5) + gy * (y / height - 0.5) + 0.5);
          const stripe = sAmp * Math.sin(sFreq * (sx * X + sy * Y));
          const i = (y * width + x) * 3;
          for (let c = 0; c < 3; c++) out[i + c] = (c1[c]! + (c2[c]! - c1[c]!) * n) * g + stripe;
        }
      }
    },
  };
}

/**
 * A background taken from user media. A decoded video (several `frames`, at the output size) is played from
 * its first frame and loops; a single image larger than the output frame is panned across its margin, from
 * the top-left corner to the bottom-right one over the `totalFrames` of the video (whole-pixel steps).
 */
export function mediaBackground(frames: readonly RgbImage[], totalFrames: number): Background {
  if (frames.length === 0) throw new Error('mediaBackground: no frames');
  return {
    fill(t, out, width, height) {
      const src = frames[t % frames.length]!;
      const tau = totalFrames > 1 ? t / (totalFrames - 1) : 0;
      const offX = Math.round(Math.max(0, src.width - width) * tau);
      const offY = Math.round(Math.max(0, src.height - height) * tau);
      for (let y = 0; y < height; y++) {
        const sy = Math.min(src.height - 1, y + offY);
        for (let x = 0; x < width; x++) {
          const sx = Math.min(src.width - 1, x + offX);
          const i = (y * width + x) * 3;
          const j = (sy * src.width + sx) * 3;
          out[i] = src.data[j]!;
          out[i + 1] = src.data[j + 1]!;
          out[i + 2] = src.data[j + 2]!;
        }
      }
    },
  };
}
