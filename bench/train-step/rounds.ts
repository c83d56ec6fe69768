/**
 * Repeats `train-step.ts` (our backend, then PyTorch, in one run) several rounds and reports each round's
 * training ratio and the median per model: on a shared machine single runs move by 30–40 %, and a ratio is
 * only meaningful against PyTorch measured right beside it. Usage (see README.md):
 * `pnpm --filter @qad/bench train-step-rounds -- --rounds 3 --backend onednn --models resnet18,resnet50`;
 * every other option is passed to train-step.
 */
import { spawnSync } from 'node:child_process';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const at = argv.indexOf('--rounds');
const rounds = at >= 0 ? Number(argv[at + 1]) : 3;
if (!Number.isInteger(rounds) || rounds < 1) {
  throw new Error(`--rounds must be a positive integer, got ${at >= 0 ? argv[at + 1] : rounds}`);
}
const passOn = argv.filter((_, i) => i !== at && i !== at + 1);
const script = new URL('./train-step.ts', import.meta.url).pathname;

/** model@size×batch → the training ratio vs PyTorch (2 threads) of each round. */
const ratios = new Map<string, number[]>();
const trains = new Map<string, Array<[number, number]>>();
for (let round = 1; round <= rounds; round++) {
  const run = spawnSync(process.execPath, [...process.execArgv, script, ...passOn, '--no-profile'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`round ${round}: train-step exited with ${run.status}`);
  // Table rows: | model | size | batch | ours | torch2 / torch1 | ratio2 / ratio1 | …
  for (const line of run.stdout.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 8 || !/^\d+$/.test(cells[2] ?? '')) continue;
    const key = `${cells[1]} @${cells[2]} b${cells[3]}`;
    const ours = Number(cells[4]);
    const torch = Number(cells[5]!.split('/')[0]);
    if (!(torch > 0)) continue;
    ratios.set(key, [...(ratios.get(key) ?? []), ours / torch]);
    trains.set(key, [...(trains.get(key) ?? []), [ours, torch]]);
  }
  console.log(`round ${round}/${rounds} done`);
}
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(
  '\n| model | train img/s, ours vs PyTorch (2 thr), each round | ratio each round | median ratio |',
);
console.log('| --- | --- | --- | ---: |');
for (const [key, r] of ratios) {
  const pairs = trains
    .get(key)!
    .map(([a, b]) => `${a.toFixed(2)} / ${b.toFixed(2)}`)
    .join(', ');
  console.log(`| ${key} | ${pairs} | ${r.map((x) => x.toFixed(2)).join(', ')} | ${median(r).toFixed(2)} |`);
}
