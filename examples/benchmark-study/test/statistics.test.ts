import { describe, expect, it } from 'vitest';
import { pairedComparison } from '../src/statistics';

describe('pairedComparison', () => {
  it('matches a hand-computed paired t-test and the exact sign-flip count', () => {
    // Differences 1, 2, 3, 4, 5: mean 3, sd √2.5, t = 3 / (√2.5 / √5) = 3√2 ≈ 4.243 on 4 df → p ≈ 0.01324
    // (checked by integrating the t density numerically). All five positive: only the all-plus and all-minus assignments reach |mean| 3.
    const r = pairedComparison([2, 4, 6, 8, 10], [1, 2, 3, 4, 5]);
    expect(r.meanDifference).toBe(3);
    expect(r.tTestP).toBeCloseTo(0.01324, 4);
    expect(r.signFlipP).toBe(2 / 32);
    // No difference at all.
    expect(pairedComparison([1, 2], [1, 2])).toMatchObject({ tTestP: 1, signFlipP: 1 });
    expect(() => pairedComparison([1], [2])).toThrow('pairedComparison needs two equally long lists');
  });
});
