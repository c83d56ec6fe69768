import tCdf from '@stdlib/stats-base-dists-t-cdf';

/** A paired comparison of two methods over the same seeds. */
export interface PairedComparison {
  /** Mean of `a[i] − b[i]`. */
  meanDifference: number;
  /** Two-sided p of the paired t-test (n − 1 degrees of freedom); 1 when every difference is 0. */
  tTestP: number;
  /**
   * Two-sided p of the exact sign-flip (randomisation) test on the mean difference: the share of the 2ⁿ sign
   * assignments whose |mean| is at least the observed one. With n = 5 it cannot go below 2/32 = 0.0625.
   */
  signFlipP: number;
  n: number;
}

/**
 * Paired t-test and exact sign-flip test of `a` against `b` (the same seeds, in the same order). The t-test
 * uses `@stdlib/stats-base-dists-t-cdf` for Student's t distribution.
 */
export function pairedComparison(a: readonly number[], b: readonly number[]): PairedComparison {
  if (a.length !== b.length || a.length < 2) {
    throw new Error(
      `pairedComparison needs two equally long lists of ≥ 2 values, got ${a.length} and ${b.length}.`,
    );
  }
  const d = a.map((v, i) => v - b[i]!);
  const n = d.length;
  const mean = d.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const tTestP = sd === 0 ? (mean === 0 ? 1 : 0) : 2 * tCdf(-Math.abs(mean / (sd / Math.sqrt(n))), n - 1);
  let extreme = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    const m = d.reduce((s, v, i) => s + (mask & (1 << i) ? -v : v), 0) / n;
    if (Math.abs(m) >= Math.abs(mean) - 1e-12) extreme++;
  }
  return { meanDifference: mean, tTestP, signFlipP: extreme / (1 << n), n };
}
