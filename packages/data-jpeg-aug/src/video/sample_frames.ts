/**
 * `n` frame indices spread evenly over a video of `total` frames, first and last included:
 * `index_i = ⌊i·(total − 1) / (n − 1)⌋` for `i = 0 … n−1` (NumPy's `linspace(0, total − 1, n)` cast to int,
 * as DeepfakeBench samples its 32 frames per video). When `n ≥ total` every frame is returned once
 * (`0 … total−1`), so indices never repeat; `n = 1` gives `[0]`; `total = 0` gives `[]`. The result is
 * strictly increasing.
 *
 * @param total - number of frames in the video (a non-negative integer).
 * @param n - how many frames to sample (a positive integer). Default 32.
 * @throws when `total` or `n` is not an integer in range.
 *
 * @example
 * ```ts
 * sampleFrameIndices(10, 4); // [0, 3, 6, 9]
 * sampleFrameIndices(3, 32); // [0, 1, 2]
 * ```
 */
export function sampleFrameIndices(total: number, n = 32): number[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new Error(`sampleFrameIndices: total must be a non-negative integer, got ${total}`);
  }
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`sampleFrameIndices: n must be a positive integer, got ${n}`);
  if (n >= total) return Array.from({ length: total }, (_, i) => i);
  if (n === 1) return [0];
  // Exact: the quotient of two integers is correctly rounded, and a non-integer quotient is at least 1/(n−1)
  // away from the next integer, far more than one ulp, so the floor is never off by one.
  return Array.from({ length: n }, (_, i) => Math.floor((i * (total - 1)) / (n - 1)));
}
