/**
 * Independent float64 references for the tests, written with plain loops from the textbook definitions
 * (no code shared with src/). Matrices are number[][].
 */
export type Matrix = number[][];

/** Deterministic PRNG (mulberry32) so every test input is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller. */
export function normals(count: number, seed: number): number[] {
  const u = rng(seed);
  const out: number[] = [];
  while (out.length < count) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    out.push(r * Math.cos(t), r * Math.sin(t));
  }
  return out.slice(0, count);
}

/** A random [n, d] matrix, rounded to float32 so the tfjs input and the reference see the same numbers. */
export function randomMatrix(n: number, d: number, seed: number, scale = 1, offset = 0): Matrix {
  const v = normals(n * d, seed);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => Math.fround(offset + scale * v[i * d + j]!)),
  );
}

export function zeros(n: number, m = n): Matrix {
  return Array.from({ length: n }, () => new Array<number>(m).fill(0));
}

export function identity(n: number): Matrix {
  const m = zeros(n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const k = b.length;
  const m = b[0]!.length;
  const c = zeros(n, m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i]![t]! * b[t]![j]!;
      c[i]![j] = s;
    }
  return c;
}

export function trace(a: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]![i]!;
  return s;
}

export function add(a: Matrix, b: Matrix, scaleB = 1): Matrix {
  return a.map((row, i) => row.map((v, j) => v + scaleB * b[i]![j]!));
}

/** H = I − 11ᵀ/n. */
export function centering(n: number): Matrix {
  return identity(n).map((row) => row.map((v) => v - 1 / n));
}

export function squaredDistance(a: number[], b: number[]): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += (a[t]! - b[t]!) ** 2;
  return s;
}

export function gaussianGramRef(x: Matrix, sigma: number, scaleByDim = false): Matrix {
  const d = x[0]!.length;
  const denom = 2 * sigma * sigma * (scaleByDim ? d : 1);
  return x.map((a) => x.map((b) => Math.exp(-squaredDistance(a, b) / denom)));
}

export function laplaceGramRef(x: Matrix, sigma: number): Matrix {
  return x.map((a) => x.map((b) => Math.exp(-Math.sqrt(squaredDistance(a, b)) / sigma)));
}

export function linearGramRef(x: Matrix): Matrix {
  return x.map((a) => x.map((b) => a.reduce((s, v, t) => s + v * b[t]!, 0)));
}

/** tr(K H L H) / (n − 1)², with H formed explicitly. */
export function hsicBiasedRef(k: Matrix, l: Matrix): number {
  const n = k.length;
  const h = centering(n);
  return trace(matmul(matmul(matmul(k, h), l), h)) / (n - 1) ** 2;
}

/**
 * Unbiased HSIC as the U-statistic of Song et al. (2012), summing over every ordered 4-tuple of distinct
 * indices: (1/(n)₄) Σ k_ij l_ij + k_ij l_qr − 2 k_ij l_iq. O(n⁴): small n only.
 */
export function hsicUnbiasedRef(k: Matrix, l: Matrix): number {
  const n = k.length;
  let s = 0;
  let count = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      for (let q = 0; q < n; q++) {
        if (q === i || q === j) continue;
        for (let r = 0; r < n; r++) {
          if (r === i || r === j || r === q) continue;
          s += k[i]![j]! * l[i]![j]! + k[i]![j]! * l[q]![r]! - 2 * k[i]![j]! * l[i]![q]!;
          count++;
        }
      }
    }
  return s / count;
}

export function ckaRef(k: Matrix, l: Matrix): number {
  return hsicBiasedRef(k, l) / Math.sqrt(hsicBiasedRef(k, k) * hsicBiasedRef(l, l));
}

/** Solves A X = B by Gaussian elimination with partial pivoting and back substitution. */
export function solve(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const m = b[0]!.length;
  const aa = a.map((r) => [...r]);
  const bb = b.map((r) => [...r]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(aa[r]![c]!) > Math.abs(aa[p]![c]!)) p = r;
    [aa[c], aa[p]] = [aa[p]!, aa[c]!];
    [bb[c], bb[p]] = [bb[p]!, bb[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = aa[r]![c]! / aa[c]![c]!;
      for (let t = c; t < n; t++) aa[r]![t]! -= f * aa[c]![t]!;
      for (let t = 0; t < m; t++) bb[r]![t]! -= f * bb[c]![t]!;
    }
  }
  const x = zeros(n, m);
  for (let r = n - 1; r >= 0; r--)
    for (let t = 0; t < m; t++) {
      let s = bb[r]![t]!;
      for (let q = r + 1; q < n; q++) s -= aa[r]![q]! * x[q]![t]!;
      x[r]![t] = s / aa[r]![r]!;
    }
  return x;
}

export function transpose(a: Matrix): Matrix {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

export function inverseRef(a: Matrix): Matrix {
  return solve(a, identity(a.length));
}

/** R = K H (K H + ε n I)⁻¹, computed as the transpose of the solution of Aᵀ Rᵀ = (K H)ᵀ. */
export function noccoOperatorRef(k: Matrix, epsilon: number): Matrix {
  const n = k.length;
  const kc = matmul(k, centering(n));
  const a = add(kc, identity(n), epsilon * n);
  return transpose(solve(transpose(a), transpose(kc)));
}

export function hsicNoccoRef(k: Matrix, l: Matrix, epsilon = 1e-5): number {
  return trace(matmul(noccoOperatorRef(k, epsilon), noccoOperatorRef(l, epsilon)));
}

/** Largest |a − b| / (|b| + floor) over paired entries. */
export function maxRelativeError(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  floor = 1e-6,
): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (Math.abs(expected[i]!) + floor));
  }
  return worst;
}

/** Largest |a − b| normalised by the largest |b|: the right measure for gradients with tiny entries. */
export function maxScaledError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst / (scale || 1);
}

/** Central finite differences of a float64 function of a matrix, entry by entry. */
export function finiteDifferenceGradient(f: (x: Matrix) => number, x: Matrix, h = 1e-6): number[] {
  const grad: number[] = [];
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < x[0]!.length; j++) {
      const plus = x.map((r) => [...r]);
      const minus = x.map((r) => [...r]);
      plus[i]![j]! += h;
      minus[i]![j]! -= h;
      grad.push((f(plus) - f(minus)) / (2 * h));
    }
  return grad;
}

export const flat = (m: Matrix): number[] => m.flat();
