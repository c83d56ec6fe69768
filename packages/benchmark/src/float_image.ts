import type { RgbImage } from '@qad/data-jpeg-aug';

/** Interleaved RGB in float (0–255 scale), the working format of the synthesis code. */
export interface FloatImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Widens 8-bit pixels to a {@link FloatImage}. */
export function toFloat(image: RgbImage): FloatImage {
  return { data: Float32Array.from(image.data), width: image.width, height: image.height };
}

/** Rounds and clamps to 8 bits. */
export function toRgb(image: FloatImage): RgbImage {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.min(255, Math.max(0, Math.round(image.data[i]!)));
  }
  return { data: out, width: image.width, height: image.height };
}

/** Gaussian blur with standard deviation `sigma` px (separable, radius ⌈3σ⌉, edges clamped). */
export function gaussianBlur(image: FloatImage, sigma: number): FloatImage {
  const { width: w, height: h, data } = image;
  if (!(sigma > 0)) return { data: data.slice(), width: w, height: h };
  const r = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + r] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i]! / sum;
  const tmp = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i;
          acc += kernel[i + r]! * data[(y * w + xx) * 3 + c]!;
        }
        tmp[(y * w + x) * 3 + c] = acc;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
          acc += kernel[i + r]! * tmp[(yy * w + x) * 3 + c]!;
        }
        out[(y * w + x) * 3 + c] = acc;
      }
    }
  }
  return { data: out, width: w, height: h };
}

/** Bilinear sample of channel-interleaved `image` at real pixel coordinates (pixel centres at `i + 0.5`). */
export function sampleBilinear(image: FloatImage, x: number, y: number, out: Float32Array | number[]): void {
  const { width: w, height: h, data } = image;
  const fx = Math.min(Math.max(x - 0.5, 0), w - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), h - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const ax = fx - x0;
  const ay = fy - y0;
  for (let c = 0; c < 3; c++) {
    const a = data[(y0 * w + x0) * 3 + c]!;
    const b = data[(y0 * w + x1) * 3 + c]!;
    const d = data[(y1 * w + x0) * 3 + c]!;
    const e = data[(y1 * w + x1) * 3 + c]!;
    out[c] = (a + (b - a) * ax) * (1 - ay) + (d + (e - d) * ax) * ay;
  }
}
