/**
 * A 32-bit seed derived from a base seed and a path of keys (`deriveSeed(7, 'identity', 3)`), so every video's
 * random parameters depend only on the benchmark seed and the video's own name, never on generation order
 * or on how many other videos there are. FNV-1a over the keys' text, finished with a murmur3 avalanche.
 */
export function deriveSeed(seed: number, ...keys: ReadonlyArray<string | number>): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  const text = keys.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
