/** Deterministic values in [−scale, scale) from a seed (a 32-bit LCG). */
export function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    v[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return v;
}

/** max |a − b| / max |b| (the scale keeps near-zero entries from dominating). */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return worst / (scale || 1);
}
