import { seededRandom } from './random';

/** The qualities of the toy data, from lossless to heavily degraded, like FaceForensics++'s raw/c23/c40. */
export const QUALITIES = ['raw', 'c23', 'c40'] as const;
export type Quality = (typeof QUALITIES)[number];

/** One split of the toy data: the same images at every quality, `[n, size, size, 3]` row-major, values in [0, 1]. */
export interface ToyFaces {
  readonly size: number;
  readonly count: number;
  readonly images: Readonly<Record<Quality, Float32Array>>;
  /** 1 = fake, 0 = real. */
  readonly labels: Int32Array;
}

export interface ToyFacesOptions {
  count: number;
  /** Side of the square images. Default 12. */
  size?: number;
  seed: number;
  /** Amplitude of the fake's blending artefact. Default 0.12. */
  artefact?: number;
}

/**
 * Generated stand-ins for face crops. A "real" image is a smooth random blend of coloured blobs; a "fake" is
 * the same kind of image with a region blended in through a soft mask, carrying a faint high-frequency
 * checker texture and a slight colour shift — the two cues real face-swaps leave. The compressed qualities
 * then remove high frequencies (c23 mildly, c40 strongly, with coarse quantisation), so the texture cue fades
 * and the detector must rely on what survives: the situation QAD is built for.
 */
export function makeToyFaces(options: ToyFacesOptions): ToyFaces {
  const { count, size = 12, seed, artefact = 0.12 } = options;
  const random = seededRandom(seed);
  const pixels = size * size * 3;
  const raw = new Float32Array(count * pixels);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const fake = random() < 0.5 ? 1 : 0;
    labels[i] = fake;
    drawFace(raw.subarray(i * pixels, (i + 1) * pixels), size, random, fake ? artefact : 0);
  }
  return {
    size,
    count,
    labels,
    images: {
      raw,
      c23: degrade(raw, count, size, 1, 24, 0, random),
      c40: degrade(raw, count, size, 2, 6, 0.03, random),
    },
  };
}

function drawFace(out: Float32Array, size: number, random: () => number, artefact: number): void {
  const blobs = Array.from({ length: 4 }, () => ({
    x: random() * size,
    y: random() * size,
    r: size * (0.2 + 0.3 * random()),
    color: [random(), random(), random()],
  }));
  const cx = size * (0.3 + 0.4 * random());
  const cy = size * (0.3 + 0.4 * random());
  const radius = size * (0.25 + 0.1 * random());
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const mask = artefact > 0 ? Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius * radius)) : 0;
      // Grid-aligned, like the up-sampling artefacts of generators.
      const checker = (x + y) % 2 === 0 ? 1 : -1;
      for (let c = 0; c < 3; c++) {
        let v = 0.5;
        for (const b of blobs)
          v += (b.color[c]! - 0.5) * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
        v += mask * (artefact * checker + (c === 0 ? artefact / 2 : 0));
        out[(y * size + x) * 3 + c] = Math.min(1, Math.max(0, v));
      }
    }
  }
}

/** Box blur of the given radius, quantisation to `levels` grey levels, and a little noise. */
function degrade(
  source: Float32Array,
  count: number,
  size: number,
  blurRadius: number,
  levels: number,
  noise: number,
  random: () => number,
): Float32Array {
  const out = new Float32Array(source.length);
  const pixels = size * size * 3;
  for (let i = 0; i < count; i++) {
    const base = i * pixels;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          let n = 0;
          for (let dy = -blurRadius; dy <= blurRadius; dy++) {
            for (let dx = -blurRadius; dx <= blurRadius; dx++) {
              const yy = Math.min(size - 1, Math.max(0, y + dy));
              const xx = Math.min(size - 1, Math.max(0, x + dx));
              sum += source[base + (yy * size + xx) * 3 + c]!;
              n++;
            }
          }
          const noisy = sum / n + noise * (random() - 0.5);
          out[base + (y * size + x) * 3 + c] =
            Math.round(Math.min(1, Math.max(0, noisy)) * (levels - 1)) / (levels - 1);
        }
      }
    }
  }
  return out;
}
