import { spawn } from 'node:child_process';
import { Rng } from '@qad/core';
import type { RgbImage } from '../src/types';
import { resolveFfmpeg } from '../src/video/ffmpeg_path';

/**
 * A synthetic clip: a smooth diagonal gradient, a soft-edged disc moving across it, and fixed seeded
 * fine texture (so the encoder has detail to lose at high CRF, and the frames differ from one another).
 */
export function* syntheticFrames(count: number, width = 64, height = 64, seed = 7): Generator<RgbImage> {
  const rng = new Rng(seed);
  const texture = Float32Array.from({ length: width * height }, () => rng.uniform(-24, 24));
  for (let t = 0; t < count; t++) {
    const data = new Uint8Array(width * height * 3);
    const cx = width * (0.2 + (0.6 * t) / Math.max(1, count - 1));
    const cy = height * (0.5 + 0.25 * Math.sin(t / 4));
    const r = Math.min(width, height) / 5;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - cx, y - cy);
        const inside = Math.min(1, Math.max(0, r - d + 0.5)); // 1-pixel soft edge
        const tex = texture[y * width + x]!;
        const base = [(x * 255) / width, (y * 255) / height, 128 + 60 * Math.sin((x + y + t) / 6)];
        const disc = [230, 40 + 3 * t, 60];
        const i = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const v = (1 - inside) * base[c]! + inside * disc[c]! + tex;
          data[i + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    yield { data, width, height };
  }
}

/**
 * Pipes `frames` through ffmpeg's RGB → YUV 4:2:0 → RGB conversion alone (no codec): what a lossless
 * yuv420p H.264 stream must decode to, exactly.
 */
export async function yuv420RoundTrip(frames: readonly RgbImage[]): Promise<RgbImage[]> {
  const { width, height } = frames[0]!;
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s'];
  args.push(
    `${width}x${height}`,
    '-i',
    '-',
    '-vf',
    'format=yuv420p',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  );
  const child = spawn(resolveFfmpeg(), args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (const f of frames) child.stdin.write(f.data);
  child.stdin.end();
  if ((await closed) !== 0) throw new Error('yuv420RoundTrip: ffmpeg failed');
  const all = Buffer.concat(chunks);
  const size = width * height * 3;
  return frames.map((_, k) => ({
    data: new Uint8Array(all.subarray(k * size, (k + 1) * size)),
    width,
    height,
  }));
}

/** Mean PSNR (dB) of `b[i]` against `a[i]`; `Infinity` only when every pair is identical. */
export function meanPsnr(
  a: readonly RgbImage[],
  b: readonly RgbImage[],
  psnr: (x: RgbImage, y: RgbImage) => number,
) {
  if (a.length !== b.length) throw new Error(`meanPsnr: ${a.length} vs ${b.length} frames`);
  return a.reduce((s, x, i) => s + psnr(x, b[i]!), 0) / a.length;
}

/** Largest absolute byte difference between two equally sized images. */
export function maxAbsDiff(a: RgbImage, b: RgbImage): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}
