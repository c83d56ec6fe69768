import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '@qad/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeImage,
  encodeJpeg,
  encodePng,
  flipHorizontal,
  psnr,
  resizeImage,
  saveJpeg,
  savePng,
} from '../src/image';
import type { RgbImage } from '../src/types';
import { naturalImage, solidImage, tempDir } from './image_fixtures';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('image'));
});
afterAll(() => cleanup());

/** A small image whose every byte differs from its neighbours, so any channel or pixel mix-up shows. */
function patterned(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 256;
  return { data, width, height };
}

describe('decodeImage', () => {
  it('drops the alpha channel of an RGBA PNG and keeps RGB exactly', async () => {
    const w = 5;
    const h = 4;
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([i * 10, 255 - i * 7, (i * 31) % 256, (i * 53) % 256], i * 4);
    const png = await sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
      .png()
      .toBuffer();
    const decoded = await decodeImage(png);
    expect([decoded.width, decoded.height]).toEqual([w, h]);
    const expected = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) expected.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
    expect(Array.from(decoded.data)).toEqual(Array.from(expected));
  });

  it('expands a greyscale PNG to three equal channels', async () => {
    const grey = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const png = await sharp(grey, { raw: { width: 4, height: 3, channels: 1 } })
      .png()
      .toBuffer();
    const decoded = await decodeImage(png);
    expect(decoded.data.length).toBe(36);
    for (let i = 0; i < 12; i++)
      expect(Array.from(decoded.data.subarray(i * 3, i * 3 + 3))).toEqual([i * 20, i * 20, i * 20]);
  });

  it('reduces a 16-bit PNG to 8 bits', async () => {
    const values = new Uint16Array(2 * 2 * 3).fill(40000);
    const png = await sharp(values, { raw: { width: 2, height: 2, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).depth).toBe('ushort');
    const decoded = await decodeImage(png);
    for (const v of decoded.data) expect(Math.abs(v - 40000 / 257)).toBeLessThanOrEqual(1);
  });

  it('round-trips a PNG file written by savePng exactly', async () => {
    const image = patterned(7, 5);
    const path = join(dir, 'exact.png');
    await savePng(path, image);
    const decoded = await decodeImage(path);
    expect(decoded.width).toBe(7);
    expect(Buffer.from(decoded.data).equals(Buffer.from(image.data))).toBe(true);
    const fromBytes = await decodeImage(await encodePng(image, 0));
    expect(Buffer.from(fromBytes.data).equals(Buffer.from(image.data))).toBe(true);
  });

  it('names the file of a missing, truncated or non-image input', async () => {
    const missing = join(dir, 'nope.jpg');
    await expect(decodeImage(missing)).rejects.toThrow(
      `decodeImage: cannot decode '${missing}': Input file is missing`,
    );
    const jpeg = await encodeJpeg(naturalImage(32, 32, 1), 80);
    const truncated = join(dir, 'truncated.jpg');
    await writeFile(truncated, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await expect(decodeImage(truncated)).rejects.toThrow(
      new RegExp(
        `^decodeImage: cannot decode '${truncated}': .*(premature end of JPEG|corrupt or truncated)`,
        'i',
      ),
    );
    const text = join(dir, 'text.jpg');
    await writeFile(text, 'not an image at all');
    await expect(decodeImage(text)).rejects.toThrow(`decodeImage: cannot decode '${text}'`);
    await expect(decodeImage(new Uint8Array([1, 2, 3]))).rejects.toThrow(
      "decodeImage: cannot decode '<buffer>'",
    );
    await expect(decodeImage(new Uint8Array([1, 2, 3]), { name: 'frame 7' })).rejects.toThrow(
      "decodeImage: cannot decode 'frame 7'",
    );
  });
});

/** Table K.1 (luminance) and K.2 (chrominance) of ITU-T T.81 Annex K, in natural (row-major) order. */
const ANNEX_K_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const ANNEX_K_CHROMA = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...new Array<number>(32).fill(99),
];

/** Natural-order index of each zig-zag position (T.81 Figure A.6), by walking the anti-diagonals. */
function zigzagOrder(): number[] {
  const order: number[] = [];
  for (let s = 0; s < 15; s++) {
    const cells: number[] = [];
    for (let row = 0; row < 8; row++) {
      const col = s - row;
      if (col >= 0 && col < 8) cells.push(row * 8 + col);
    }
    // Odd diagonals run top-right to bottom-left (row increasing), even ones the other way.
    order.push(...(s % 2 === 1 ? cells : cells.reverse()));
  }
  return order;
}

/** libjpeg's `jpeg_set_quality` scaling of a base table, baseline-clamped to [1, 255]. */
function ijgTable(base: number[], quality: number): number[] {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

/** The marker segments of a JPEG up to the first scan. */
function segments(bytes: Uint8Array): { marker: number; payload: Uint8Array }[] {
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  const out: { marker: number; payload: Uint8Array }[] = [];
  let i = 2;
  while (i < bytes.length) {
    expect(bytes[i]).toBe(0xff);
    const marker = bytes[i + 1] as number;
    const length = ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
    out.push({ marker, payload: bytes.subarray(i + 4, i + 2 + length) });
    if (marker === 0xda) break;
    i += 2 + length;
  }
  return out;
}

describe('encodeJpeg', () => {
  const image = naturalImage(48, 40, 3);
  const zigzag = zigzagOrder();

  it.each([1, 10, 25, 50, 75, 90, 95, 100])(
    'quality %i uses the IJG-scaled Annex K tables',
    async (quality) => {
      const tables = new Map<number, number[]>();
      for (const { marker, payload } of segments(await encodeJpeg(image, quality))) {
        if (marker !== 0xdb) continue;
        for (let j = 0; j < payload.length; j += 65) {
          expect((payload[j] as number) >> 4).toBe(0); // 8-bit precision
          tables.set((payload[j] as number) & 15, Array.from(payload.subarray(j + 1, j + 65)));
        }
      }
      const inZigzag = (natural: number[]) => zigzag.map((k) => natural[k] as number);
      expect(tables.get(0)).toEqual(inZigzag(ijgTable(ANNEX_K_LUMA, quality)));
      expect(tables.get(1)).toEqual(inZigzag(ijgTable(ANNEX_K_CHROMA, quality)));
    },
  );

  it.each([
    ['4:2:0', 50, [0x22, 0x11, 0x11]],
    ['4:2:0', 95, [0x22, 0x11, 0x11]],
    ['4:4:4', 50, [0x11, 0x11, 0x11]],
  ] as const)(
    'writes a baseline frame with %s sampling at quality %i',
    async (chromaSubsampling, quality, factors) => {
      const segs = segments(await encodeJpeg(image, quality, { chromaSubsampling }));
      expect(segs.some((s) => s.marker === 0xc2)).toBe(false); // not progressive
      const sof = segs.find((s) => s.marker === 0xc0);
      expect(sof).toBeDefined();
      const p = sof?.payload as Uint8Array;
      expect([p[0], (p[1]! << 8) | p[2]!, (p[3]! << 8) | p[4]!, p[5]]).toEqual([8, 40, 48, 3]);
      expect([p[7], p[10], p[13]]).toEqual([...factors]);
    },
  );

  it('is deterministic', async () => {
    const a = await encodeJpeg(image, 42);
    const b = await encodeJpeg(image, 42);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('rejects bad qualities, options and images', async () => {
    for (const q of [0, 101, 50.5, Number.NaN]) {
      await expect(encodeJpeg(image, q)).rejects.toThrow(
        `Argument 'quality' passed to 'encodeJpeg' must be an integer in [1, 100], got ${q}.`,
      );
    }
    await expect(encodeJpeg(image, 50, { chromaSubsampling: '4:2:2' as '4:4:4' })).rejects.toThrow(
      "got '4:2:2'",
    );
    await expect(encodeJpeg({ data: new Uint8Array(10), width: 2, height: 2 }, 50)).rejects.toThrow(
      "Argument 'image' passed to 'encodeJpeg' has 10 bytes, expected 2×2×3 = 12.",
    );
    await expect(encodePng(image, 10)).rejects.toThrow(
      "'compressionLevel' passed to 'encodePng' must be an integer in [0, 9]",
    );
  });
});

describe('psnr', () => {
  it('matches the closed form for a constant offset and for one changed byte', () => {
    const a = solidImage(4, 3, [100, 120, 140]);
    const b = solidImage(4, 3, [103, 123, 143]);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / 9), 12);
    const c = { ...a, data: a.data.slice() };
    c.data[5] = 140 + 36; // squared error 36² on one of 36 bytes: MSE = 36
    expect(psnr(a, c)).toBeCloseTo(10 * Math.log10((255 * 255) / 36), 12);
  });

  it('is infinite for identical images and rejects different sizes', () => {
    const a = naturalImage(8, 8, 1);
    expect(psnr(a, { ...a, data: a.data.slice() })).toBe(Number.POSITIVE_INFINITY);
    expect(() => psnr(a, naturalImage(8, 7, 1))).toThrow("'psnr': images differ in size: 8×8 and 8×7.");
  });
});

describe('resizeImage and flipHorizontal', () => {
  it('nearest-neighbour doubling replicates each pixel into a 2×2 block', async () => {
    const image = {
      data: Uint8Array.from([10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42]),
      width: 2,
      height: 2,
    };
    const out = await resizeImage(image, { width: 4, height: 4, kernel: 'nearest' });
    const red = Array.from(out.data).filter((_, i) => i % 3 === 0);
    expect(red).toEqual([10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40]);
  });

  it.each(['linear', 'cubic', 'lanczos3'] as const)(
    '%s keeps a solid image solid (weights sum to one)',
    async (kernel) => {
      for (const [w, h] of [
        [24, 24],
        [17, 19],
        [50, 45],
      ] as const) {
        const out = await resizeImage(solidImage(32, 32, [13, 128, 250]), { width: w, height: h, kernel });
        expect([out.width, out.height]).toEqual([w, h]);
        expect(out.data).toEqual(solidImage(w, h, [13, 128, 250]).data);
      }
    },
  );

  it('returns the input when the size is unchanged, and rejects bad sizes and kernels', async () => {
    const image = naturalImage(6, 6, 2);
    expect(await resizeImage(image, { width: 6, height: 6 })).toBe(image);
    await expect(resizeImage(image, { width: 0, height: 4 })).rejects.toThrow(
      "Argument 'width' passed to 'resizeImage' must be a positive integer, got 0.",
    );
    await expect(resizeImage(image, { width: 4, height: 4, kernel: 'bilinear' as 'linear' })).rejects.toThrow(
      "Argument 'kernel' passed to 'resizeImage' must be one of nearest, linear, cubic, mitchell, lanczos2, lanczos3, got 'bilinear'.",
    );
  });

  it('flipHorizontal mirrors the columns', () => {
    const image = {
      data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]),
      width: 3,
      height: 2,
    };
    expect(Array.from(flipHorizontal(image).data)).toEqual([
      7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12,
    ]);
    const natural = naturalImage(9, 4, 5);
    expect(flipHorizontal(flipHorizontal(natural)).data).toEqual(natural.data);
  });
});

describe('saveJpeg writes atomically', () => {
  it('writes and replaces a file, leaving no temporary file behind', async () => {
    const sub = join(dir, 'atomic');
    await mkdir(sub);
    const path = join(sub, 'draws.json');
    await atomicWrite(path, 'first');
    await atomicWrite(path, new TextEncoder().encode('second'));
    expect(await readFile(path, 'utf8')).toBe('second');
    await saveJpeg(join(sub, 'a.jpg'), naturalImage(16, 16, 1), 70);
    expect((await decodeImage(join(sub, 'a.jpg'))).width).toBe(16);
    expect((await readdir(sub)).sort()).toEqual(['a.jpg', 'draws.json']);
  });
});
