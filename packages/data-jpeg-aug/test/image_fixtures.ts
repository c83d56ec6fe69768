// Synthetic images for the image, transform and loader tests (nothing is downloaded).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@qad/core';
import type { RgbImage } from '../src/types';

/**
 * A smooth, natural-looking image: a diagonal colour gradient, low-frequency noise (a few random
 * sinusoids per channel) and soft elliptical blobs — the kind of content JPEG is designed for.
 */
export function naturalImage(width: number, height: number, seed: number): RgbImage {
  const rng = new Rng(seed);
  const waves = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, () => ({
      fx: rng.uniform(0.5, 3) / width,
      fy: rng.uniform(0.5, 3) / height,
      phase: rng.uniform(0, 2 * Math.PI),
      amp: rng.uniform(6, 14),
    })),
  );
  const blobs = Array.from({ length: 4 }, () => ({
    cx: rng.uniform(0.2, 0.8) * width,
    cy: rng.uniform(0.2, 0.8) * height,
    r: rng.uniform(0.1, 0.25) * Math.min(width, height),
    color: [rng.uniform(-60, 60), rng.uniform(-60, 60), rng.uniform(-60, 60)],
  }));
  const base = [rng.uniform(90, 160), rng.uniform(90, 160), rng.uniform(90, 160)];
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let v = (base[c] as number) + 40 * (x / width - 0.5) + (c - 1) * 25 * (y / height - 0.5);
        for (const w of waves[c] ?? []) v += w.amp * Math.sin(2 * Math.PI * (w.fx * x + w.fy * y) + w.phase);
        for (const b of blobs) {
          const d2 = ((x - b.cx) ** 2 + (y - b.cy) ** 2) / (b.r * b.r);
          v += (b.color[c] as number) * Math.exp(-d2);
        }
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, width, height };
}

/** An image of one colour. */
export function solidImage(width: number, height: number, rgb: readonly [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { data, width, height };
}

/** A fresh temporary directory and a function that deletes it. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `qad-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
