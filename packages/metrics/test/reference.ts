// Deliberately naive references: loops over pairs or over thresholds, sharing no code with src/.

/** Deterministic PRNG (mulberry32) so that failures reproduce. */
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

/**
 * Random labelled scores with many ties: fakes drawn a little higher than reals, then rounded to `decimals`.
 */
export function tiedSample(
  n: number,
  seed: number,
  decimals = 2,
  fakeRate = 0.3,
): { labels: number[]; scores: number[] } {
  const random = rng(seed);
  const labels: number[] = [];
  const scores: number[] = [];
  const scale = 10 ** decimals;
  for (let i = 0; i < n; i++) {
    const label = random() < fakeRate ? 1 : 0;
    const raw = Math.min(
      1,
      Math.max(0, 0.5 * random() + (label === 1 ? 0.3 : 0.15) + 0.2 * (random() - 0.5)),
    );
    labels.push(label);
    scores.push(Math.round(raw * scale) / scale);
  }
  return { labels, scores };
}

/** Mann–Whitney over all fake/real pairs, ties worth one half. O(n²). */
export function pairwiseAuc(labels: readonly number[], scores: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

/** Distinct scores, highest first. */
export function distinctDescending(scores: readonly number[]): number[] {
  return [...new Set(scores)].sort((a, b) => b - a);
}

/** Counts at one threshold by a plain loop: predicted fake iff score >= t. */
export function countAt(
  labels: readonly number[],
  scores: readonly number[],
  t: number,
): { tp: number; fp: number; p: number; n: number } {
  let tp = 0;
  let fp = 0;
  let p = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) p++;
    if (scores[i]! >= t) {
      if (labels[i] === 1) tp++;
      else fp++;
    }
  }
  return { tp, fp, p, n: labels.length - p };
}

/** ROC points by brute force: the origin, then one loop over the data per distinct threshold. */
export function bruteRoc(
  labels: readonly number[],
  scores: readonly number[],
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  for (const t of distinctDescending(scores)) {
    const c = countAt(labels, scores, t);
    fpr.push(c.fp / c.n);
    tpr.push(c.tp / c.p);
    thresholds.push(t);
  }
  return { fpr, tpr, thresholds };
}

/** AP = Σ (R_k − R_{k−1})·P_k, each P_k and R_k counted by a fresh loop. */
export function bruteAp(labels: readonly number[], scores: readonly number[]): number {
  let ap = 0;
  let prevRecall = 0;
  for (const t of distinctDescending(scores)) {
    const c = countAt(labels, scores, t);
    const recall = c.tp / c.p;
    const precision = c.tp / (c.tp + c.fp);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

/**
 * EER as the geometric intersection of the brute-force ROC polyline with the line TPR = 1 − FPR:
 * for each segment solve x(s) + y(s) = 1 for s in [0, 1], i.e. FPR(s) = FNR(s).
 */
export function bruteEer(
  labels: readonly number[],
  scores: readonly number[],
): { eer: number; threshold: number } {
  const { fpr, tpr, thresholds } = bruteRoc(labels, scores);
  for (let k = 1; k < fpr.length; k++) {
    const x0 = fpr[k - 1]!;
    const y0 = tpr[k - 1]!;
    const dx = fpr[k]! - x0;
    const dy = tpr[k]! - y0;
    const raw = (1 - x0 - y0) / (dx + dy);
    // A tolerance so that a crossing exactly at a ROC point is not lost to rounding between two segments.
    if (raw >= -1e-12 && raw <= 1 + 1e-12) {
      const s = Math.min(1, Math.max(0, raw));
      const upper = k === 1 ? thresholds[1]! : thresholds[k - 1]!;
      return { eer: x0 + s * dx, threshold: upper + (k === 1 ? 0 : s * (thresholds[k]! - upper)) };
    }
  }
  throw new Error('reference EER: no crossing');
}
