import type { PairedSplit, Quality } from '@qad/core';

/**
 * Validates a split for the chosen qualities: non-empty, every quality present with one frame per label,
 * labels 0 or 1. Errors name the quality or index at fault.
 *
 * @returns the number of samples.
 */
export function checkSplit(split: PairedSplit, qualities: readonly Quality[]): number {
  if (split === null || typeof split !== 'object' || !Array.isArray(split.labels) || split.frames == null) {
    throw new Error(`PairedLoader: the split must have 'frames' and 'labels'.`);
  }
  if (!Array.isArray(qualities) || qualities.length === 0) {
    throw new Error(`PairedLoader: 'qualities' must list at least one quality.`);
  }
  const seen = new Set<Quality>();
  for (const q of qualities) {
    if (seen.has(q)) throw new Error(`PairedLoader: quality '${q}' is listed twice in 'qualities'.`);
    seen.add(q);
  }
  const n = split.labels.length;
  if (n === 0) throw new Error('PairedLoader: the split is empty (0 samples).');
  const available = Object.keys(split.frames);
  for (const q of qualities) {
    const frames = Object.hasOwn(split.frames, q) ? split.frames[q] : undefined;
    if (!Array.isArray(frames)) {
      throw new Error(
        `PairedLoader: the split has no frames for quality '${q}' (it has: ${available.join(', ') || 'none'}).`,
      );
    }
    if (frames.length !== n) {
      throw new Error(
        `PairedLoader: quality '${q}' has ${frames.length} frames but the split has ${n} labels.`,
      );
    }
  }
  split.labels.forEach((label, i) => {
    if (label !== 0 && label !== 1)
      throw new Error(`PairedLoader: label ${i} is ${JSON.stringify(label)}, not 0 or 1.`);
  });
  return n;
}
