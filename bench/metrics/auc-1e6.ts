// Timing of the ranking metrics of @qad/metrics on 10^6 scores (not a test: numbers depend on the machine).
// Run from the repository root: npx -y tsx@4 bench/metrics/auc-1e6.ts
import { averagePrecision, eer, rocAuc, rocCurve } from '../../packages/metrics/src/index';

const n = 1_000_000;
const repeats = 5;

/** mulberry32, so that every run times the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeData(decimals: number | null): { labels: Uint8Array; scores: Float64Array } {
  const random = rng(42);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const label = random() < 0.5 ? 1 : 0;
    const raw = Math.min(1, Math.max(0, 0.6 * random() + (label === 1 ? 0.3 : 0.1)));
    labels[i] = label;
    scores[i] = decimals === null ? raw : Math.round(raw * 10 ** decimals) / 10 ** decimals;
  }
  return { labels, scores };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown): { ms: number; result: unknown } {
  let result: unknown = fn(); // warm-up, so that the JIT has compiled the hot loops
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    result = fn();
    runs.push(performance.now() - start);
  }
  return { ms: median(runs), result };
}

const datasets = [
  { name: 'ties (scores rounded to 3 decimals)', data: makeData(3) },
  { name: 'no ties (full-precision scores)', data: makeData(null) },
];

console.log(
  `n = ${n.toLocaleString('en-US')}, median of ${repeats} runs after one warm-up, Node ${process.version}`,
);
for (const { name, data } of datasets) {
  const { labels, scores } = data;
  const plain = { labels: Array.from(labels), scores: Array.from(scores) };
  console.log(`\n${name}, ${new Set(scores).size.toLocaleString('en-US')} distinct scores`);
  const rows: [string, () => unknown, (r: unknown) => string][] = [
    ['rocAuc', () => rocAuc(labels, scores), (r) => (r as number).toFixed(6)],
    ['rocCurve', () => rocCurve(labels, scores), (r) => `${(r as { fpr: Float64Array }).fpr.length} points`],
    ['averagePrecision', () => averagePrecision(labels, scores), (r) => (r as number).toFixed(6)],
    ['eer', () => eer(labels, scores), (r) => (r as { eer: number }).eer.toFixed(6)],
    ['rocAuc (number[] input)', () => rocAuc(plain.labels, plain.scores), (r) => (r as number).toFixed(6)],
  ];
  for (const [label, fn, show] of rows) {
    const { ms, result } = time(fn);
    console.log(`  ${label.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms   (${show(result)})`);
  }
}
