import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gaussianGram, laplaceGram, linearGram, medianHeuristicSigma } from '../src';
import {
  flat,
  gaussianGramRef,
  laplaceGramRef,
  linearGramRef,
  maxRelativeError,
  randomMatrix,
  squaredDistance,
} from './reference';

// float32 Gram entries against float64 loops: 1e-4 relative (entries are O(1); exponent rounding dominates).
const TOL = 1e-4;
const cases = [
  { n: 4, d: 3 },
  { n: 9, d: 17 },
  { n: 16, d: 200 },
];

describe('Gram matrices equal float64 references', () => {
  for (const { n, d } of cases) {
    const x = randomMatrix(n, d, 11 * n + d, 1, 0.5);
    const xt = () => tf.tensor2d(x);

    it(`gaussianGram n=${n} d=${d}, plain and scaleByDim`, () => {
      const sigma = Math.sqrt(d);
      expect(
        maxRelativeError(gaussianGram(xt(), { sigma }).dataSync(), flat(gaussianGramRef(x, sigma))),
      ).toBeLessThan(TOL);
      expect(
        maxRelativeError(
          gaussianGram(xt(), { sigma: 0.7, scaleByDim: true }).dataSync(),
          flat(gaussianGramRef(x, 0.7, true)),
        ),
      ).toBeLessThan(TOL);
    });

    it(`linearGram n=${n} d=${d}`, () => {
      expect(maxRelativeError(linearGram(xt()).dataSync(), flat(linearGramRef(x)), 1e-2)).toBeLessThan(TOL);
    });

    it(`laplaceGram n=${n} d=${d}`, () => {
      const sigma = Math.sqrt(d);
      expect(
        maxRelativeError(laplaceGram(xt(), { sigma }).dataSync(), flat(laplaceGramRef(x, sigma))),
      ).toBeLessThan(TOL);
    });
  }

  it('flattens [n, c, h, w] feature maps per sample', () => {
    const x = randomMatrix(5, 2 * 3 * 4, 3);
    const maps = tf.tensor4d(x.flat(), [5, 2, 3, 4]);
    const ref = flat(gaussianGramRef(x, 2, true));
    expect(maxRelativeError(gaussianGram(maps, { sigma: 2, scaleByDim: true }).dataSync(), ref)).toBeLessThan(
      TOL,
    );
  });

  it('stays accurate when features share a large offset (float32 cancellation)', () => {
    // Post-ReLU maps have a large common mean; the naive ‖a‖²+‖b‖²−2ab loses the distances in float32.
    const x = randomMatrix(8, 64, 5, 1, 300);
    const ref = flat(gaussianGramRef(x, 4));
    expect(maxRelativeError(gaussianGram(tf.tensor2d(x), { sigma: 4 }).dataSync(), ref)).toBeLessThan(1e-3);
  });

  it('is symmetric with an exact unit diagonal', () => {
    const k = gaussianGram(tf.tensor2d(randomMatrix(7, 5, 9, 3)), { sigma: 2 }).arraySync();
    for (let i = 0; i < 7; i++) {
      expect(k[i]![i]).toBe(1);
      for (let j = 0; j < 7; j++) expect(k[i]![j]).toBe(k[j]![i]);
    }
  });
});

describe('medianHeuristicSigma', () => {
  it('is the median pairwise distance (odd and even pair counts)', () => {
    for (const n of [5, 6]) {
      const x = randomMatrix(n, 4, n);
      const ds: number[] = [];
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) ds.push(Math.sqrt(squaredDistance(x[i]!, x[j]!)));
      ds.sort((a, b) => a - b);
      const m = ds.length % 2 ? ds[(ds.length - 1) / 2]! : (ds[ds.length / 2 - 1]! + ds[ds.length / 2]!) / 2;
      expect(medianHeuristicSigma(tf.tensor2d(x))).toBeCloseTo(m, 4);
    }
  });

  it('hand-computed: points 0, 1, 3 on a line have distances 1, 2, 3 → median 2', () => {
    expect(medianHeuristicSigma(tf.tensor2d([[0], [1], [3]]))).toBeCloseTo(2, 6);
  });

  it('falls back to 1 when every sample coincides', () => {
    expect(medianHeuristicSigma(tf.ones([4, 3]))).toBe(1);
  });
});
