import { Rng } from '@qad/core';
import type { RgbImage } from '@qad/data-jpeg-aug';
import { describe, expect, it } from 'vitest';
import {
  blendMask,
  deriveSeed,
  drawFaceSwapParams,
  drawSelfBlendParams,
  type FacePose,
  faceSwapFrame,
  makeIdentity,
  makeMotion,
  maskReach,
  poseBox,
  renderFrame,
  selfBlendFrame,
  syntheticBackground,
} from '../src/synthesis';

const W = 64;
const H = 64;
const T = 8;

function clip(seed: number) {
  const identity = makeIdentity(deriveSeed(seed, 'identity'));
  const motion = makeMotion(deriveSeed(seed, 'motion'));
  const background = syntheticBackground(deriveSeed(seed, 'background'));
  return Array.from({ length: T }, (_, t) => renderFrame(identity, motion, background, t, T, W, H));
}

function meanAbsDiff(a: RgbImage, b: RgbImage, where?: (p: number) => boolean): number {
  let sum = 0;
  let n = 0;
  for (let p = 0; p < a.width * a.height; p++) {
    if (where && !where(p)) continue;
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[p * 3 + c]! - b.data[p * 3 + c]!);
    n += 3;
  }
  return sum / n;
}

describe('deriveSeed', () => {
  it('depends on the seed and on every key, in order, without concatenation ambiguity', () => {
    const seeds = [
      deriveSeed(0, 'a', 'b'),
      deriveSeed(0, 'b', 'a'),
      deriveSeed(0, 'ab'),
      deriveSeed(1, 'a', 'b'),
      deriveSeed(0, 'a', 1),
      deriveSeed(0, 'a', 2),
    ];
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(deriveSeed(0, 'a', 'b')).toBe(seeds[0]);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
});

describe('poseBox', () => {
  it('is the tight box of the rotated ellipse (checked against sampled boundary points)', () => {
    for (const angle of [0, 0.3, -1.1, Math.PI / 2]) {
      const pose: FacePose = { cx: 40, cy: 30, a: 10, b: 14, angle };
      const box = poseBox(pose);
      let minX = Infinity;
      let maxX = -Infinity;
      let minY = Infinity;
      let maxY = -Infinity;
      for (let i = 0; i < 20000; i++) {
        const th = (2 * Math.PI * i) / 20000;
        const x = pose.a * Math.cos(th);
        const y = pose.b * Math.sin(th);
        const px = pose.cx + x * Math.cos(angle) - y * Math.sin(angle);
        const py = pose.cy + x * Math.sin(angle) + y * Math.cos(angle);
        minX = Math.min(minX, px);
        maxX = Math.max(maxX, px);
        minY = Math.min(minY, py);
        maxY = Math.max(maxY, py);
      }
      expect(box.x).toBeCloseTo(minX, 3);
      expect(box.y).toBeCloseTo(minY, 3);
      expect(box.x + box.width).toBeCloseTo(maxX, 3);
      expect(box.y + box.height).toBeCloseTo(maxY, 3);
    }
  });
});

describe('renderFrame', () => {
  it('is deterministic, keeps the face inside the frame and draws nothing outside its box', () => {
    const a = clip(7);
    const again = clip(7);
    const other = clip(8);
    const background = syntheticBackground(deriveSeed(7, 'background'));
    for (let t = 0; t < T; t++) {
      const f = a[t]!;
      expect(f.image.data).toEqual(again[t]!.image.data);
      expect(meanAbsDiff(f.image, other[t]!.image)).toBeGreaterThan(5);
      const box = poseBox(f.pose);
      expect(box.x).toBeGreaterThan(0);
      expect(box.y).toBeGreaterThan(0);
      expect(box.x + box.width).toBeLessThan(W);
      expect(box.y + box.height).toBeLessThan(H);
      // Outside the box (1 px antialiasing margin) the frame is exactly the background alone.
      const bg = new Float32Array(W * H * 3);
      background.fill(t, bg, W, H);
      const bgImage = {
        data: Uint8Array.from(bg, (v) => Math.min(255, Math.max(0, Math.round(v)))),
        width: W,
        height: H,
      };
      const outside = (p: number) => {
        const x = (p % W) + 0.5;
        const y = Math.floor(p / W) + 0.5;
        return x < box.x - 1 || x > box.x + box.width + 1 || y < box.y - 1 || y > box.y + box.height + 1;
      };
      const inside = (p: number) => !outside(p);
      expect(meanAbsDiff(f.image, bgImage, outside)).toBe(0);
      expect(meanAbsDiff(f.image, bgImage, inside)).toBeGreaterThan(10);
    }
  });

  it('moves the face slowly: consecutive poses differ by a small fraction of the frame', () => {
    const frames = clip(3);
    for (let t = 1; t < T; t++) {
      const p = frames[t - 1]!.pose;
      const q = frames[t]!.pose;
      expect(Math.abs(q.cx - p.cx) + Math.abs(q.cy - p.cy)).toBeLessThan(0.05 * W);
      expect(Math.abs(q.a / p.a - 1)).toBeLessThan(0.05);
      expect(Math.abs(q.angle - p.angle)).toBeLessThan(0.1);
    }
  });
});

describe('blendMask', () => {
  it('peaks at the blend ratio at the face centre and is 0 beyond its reach', () => {
    const pose: FacePose = { cx: 32, cy: 32, a: 12, b: 16, angle: 0.2 };
    const params = drawSelfBlendParams(new Rng(4)).mask;
    const m = blendMask(params, pose, W, H);
    expect(m[32 * W + 32]).toBeCloseTo(params.ratio, 5);
    const reach = maskReach(params);
    for (let p = 0; p < W * H; p++) {
      expect(m[p]).toBeGreaterThanOrEqual(0);
      expect(m[p]).toBeLessThanOrEqual(params.ratio);
      const box = poseBox({ ...pose, a: pose.a * reach, b: pose.b * reach });
      const x = (p % W) + 0.5;
      const y = Math.floor(p / W) + 0.5;
      if (x < box.x || x > box.x + box.width || y < box.y || y > box.y + box.height) expect(m[p]).toBe(0);
    }
  });
});

describe('selfBlendFrame', () => {
  const frames = clip(11);

  it('returns the frame itself at strength 0 and changes only masked pixels', () => {
    const params = drawSelfBlendParams(new Rng(1));
    for (const f of frames) {
      expect(selfBlendFrame(f.image, f.pose, params, 0).data).toEqual(f.image.data);
      const m = blendMask(params.mask, f.pose, W, H);
      const out = selfBlendFrame(f.image, f.pose, params, 1);
      expect(meanAbsDiff(out, f.image, (p) => m[p] === 0)).toBe(0);
      expect(meanAbsDiff(out, f.image, (p) => m[p]! > 0.5 * params.mask.ratio)).toBeGreaterThan(1);
    }
  });

  it('makes a more visible artefact at a higher strength (monotone), for every drawn parameter set', () => {
    const f = frames[0]!;
    for (let seed = 0; seed < 12; seed++) {
      const params = drawSelfBlendParams(new Rng(seed));
      const diffs = [0, 0.25, 0.5, 1, 1.5, 2].map((s) =>
        meanAbsDiff(selfBlendFrame(f.image, f.pose, params, s), f.image),
      );
      expect(diffs[0]).toBe(0);
      for (let i = 1; i < diffs.length; i++) expect(diffs[i]).toBeGreaterThan(diffs[i - 1]!);
    }
  });

  it('keeps the artefact on the face as it moves (same parameters every frame)', () => {
    const params = drawSelfBlendParams(new Rng(2));
    for (const f of frames) {
      const out = selfBlendFrame(f.image, f.pose, params, 1);
      let sx = 0;
      let sy = 0;
      let sw = 0;
      for (let p = 0; p < W * H; p++) {
        let d = 0;
        for (let c = 0; c < 3; c++) d += Math.abs(out.data[p * 3 + c]! - f.image.data[p * 3 + c]!);
        sx += d * ((p % W) + 0.5);
        sy += d * (Math.floor(p / W) + 0.5);
        sw += d;
      }
      // The centroid of the change sits near the face centre, wherever the face is in this frame.
      expect(Math.hypot(sx / sw - f.pose.cx, sy / sw - f.pose.cy)).toBeLessThan(0.35 * f.pose.a);
    }
  });
});

describe('faceSwapFrame', () => {
  const target = clip(21);
  const source = clip(22);

  it('pastes the other face inside the mask only, colour-matched, monotone in strength', () => {
    const params = drawFaceSwapParams(new Rng(5));
    for (let t = 0; t < T; t += 3) {
      const tf = target[t]!;
      const sf = source[t]!;
      const m = blendMask(params.mask, tf.pose, W, H);
      const run = (s: number) => faceSwapFrame(tf.image, tf.pose, sf.image, sf.pose, params, s);
      expect(run(0).data).toEqual(tf.image.data);
      const diffs = [0.25, 0.5, 1, 1.5, 2].map((s) => meanAbsDiff(run(s), tf.image));
      for (let i = 1; i < diffs.length; i++) expect(diffs[i]).toBeGreaterThan(diffs[i - 1]!);
      const full = run(1);
      expect(meanAbsDiff(full, tf.image, (p) => m[p] === 0)).toBe(0);
      // Colour transfer: the pasted core has the target face's mean colour (within rounding of the fit);
      // without it (strength 2) the source's own colours show.
      const core = (p: number) => m[p]! > 0.5;
      const meanGap = (img: RgbImage) => {
        let gap = 0;
        for (let c = 0; c < 3; c++) {
          let so = 0;
          let st = 0;
          let n = 0;
          for (let p = 0; p < W * H; p++) {
            if (!core(p)) continue;
            so += img.data[p * 3 + c]!;
            st += tf.image.data[p * 3 + c]!;
            n++;
          }
          gap = Math.max(gap, Math.abs(so / n - st / n));
        }
        return gap;
      };
      expect(meanGap(full)).toBeLessThan(4);
      expect(meanGap(run(2))).toBeGreaterThan(meanGap(full) + 10);
    }
  });
});
