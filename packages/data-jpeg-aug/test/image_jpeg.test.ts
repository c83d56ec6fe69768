// Acceptance tests of the JPEG quality modality through the real codec.
import { describe, expect, it } from 'vitest';
import { jpegRoundTrip, psnr } from '../src/image';
import { naturalImage } from './image_fixtures';

describe('JPEG quality through the codec', () => {
  const images = [naturalImage(96, 96, 11), naturalImage(80, 64, 12)];

  it('PSNR rises strictly with quality 10 < 30 < 50 < 70 < 90', async () => {
    for (const image of images) {
      const scores: number[] = [];
      for (const q of [10, 30, 50, 70, 90]) scores.push(psnr(image, await jpegRoundTrip(image, q)));
      for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1] as number);
      expect(scores[0]).toBeLessThan(40);
    }
  });

  it('a quality-95 round trip of a natural-looking image is above 35 dB', async () => {
    for (const image of images) expect(psnr(image, await jpegRoundTrip(image, 95))).toBeGreaterThan(35);
  });

  it('keeps size, and 4:4:4 at quality 100 is closer to the original than 4:2:0', async () => {
    const image = images[0]!;
    const sub = await jpegRoundTrip(image, 100);
    const full = await jpegRoundTrip(image, 100, { chromaSubsampling: '4:4:4' });
    expect([full.width, full.height]).toEqual([96, 96]);
    expect(psnr(image, full)).toBeGreaterThan(psnr(image, sub));
    expect(psnr(image, full)).toBeGreaterThan(45);
  });
});
