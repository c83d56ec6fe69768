/**
 * Repeats `train-step.ts` (our backend, then PyTorch, in one run) several rounds and reports each round's
 * training and inference ratios and the median per model: on a shared machine single runs move by 30–40 %,
 * and a ratio is only meaningful against PyTorch measured right beside it. Usage (see README.md):
 * `pnpm --filter @qad/bench train-step-rounds -- --rounds 3 --backend onednn --models resnet18,resnet50`;
 * `--isas AVX512_CORE,AVX2` runs each round once per instruction-set cap of our backend (the order
 * alternates between rounds) and adds the ratio between the first two caps, paired by round. Every other
 * option is passed to train-step.
 */
import { spawnSync } from 'node:child_process';

const argv = process.argv.slice(2).filter((a) => a !== '--');
function takeOption(name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  argv.splice(at, 2);
  return value;
}
const roundsArg = takeOption('--rounds');
const rounds = roundsArg === undefined ? 3 : Number(roundsArg);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a positive integer, got ${roundsArg}`);
const isas = (takeOption('--isas') ?? '').split(',').filter((s) => s !== '');
const caps: Array<string | undefined> = isas.length ? isas : [undefined];
const script = new URL('./train-step.ts', import.meta.url).pathname;

interface Measure {
  ours: number;
  torch: number;
}
/** `${cap} | ${model key}` → per round, training and inference img/s of ours and PyTorch (2 threads). */
const train = new Map<string, Measure[]>();
const infer = new Map<string, Measure[]>();
const push = (m: Map<string, Measure[]>, k: string, v: Measure) => m.set(k, [...(m.get(k) ?? []), v]);
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 ? caps : [...caps].reverse();
  for (const cap of order) {
    const extra = cap && cap !== 'best' ? ['--isa', cap] : [];
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, script, ...argv, ...extra, '--no-profile'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (run.status !== 0)
      throw new Error(`round ${round}${cap ? ` (${cap})` : ''}: train-step exited with ${run.status}`);
    // Table rows: | model | size | batch | ours | torch2 / torch1 | ratio2 / ratio1 | ours infer | torch2 / torch1 | …
    for (const line of run.stdout.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.length < 10 || !/^\d+$/.test(cells[2] ?? '')) continue;
      const key = `${cap ?? 'best'} | ${cells[1]} @${cells[2]} b${cells[3]}`;
      push(train, key, { ours: Number(cells[4]), torch: Number(cells[5]!.split('/')[0]) });
      push(infer, key, { ours: Number(cells[7]), torch: Number(cells[8]!.split('/')[0]) });
    }
    console.log(`round ${round}/${rounds}${cap ? ` ${cap}` : ''} done`);
  }
}
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
for (const [what, table] of [
  ['train', train],
  ['inference', infer],
] as const) {
  console.log(
    `\n| ISA cap | model | ${what} img/s, ours vs PyTorch (2 thr), each round | ratio each round | median ratio |`,
  );
  console.log('| --- | --- | --- | --- | ---: |');
  for (const [key, ms] of table) {
    const valid = ms.filter((m) => m.torch > 0);
    const ratios = valid.map((m) => m.ours / m.torch);
    const pairs = valid.map((m) => `${m.ours.toFixed(2)} / ${m.torch.toFixed(2)}`).join(', ');
    const median_ = ratios.length ? median(ratios).toFixed(2) : '-';
    console.log(`| ${key} | ${pairs} | ${ratios.map((x) => x.toFixed(2)).join(', ')} | ${median_} |`);
  }
}
if (caps.length >= 2) {
  const [a, b] = caps as [string, string];
  console.log(`\n| model | ${a} / ${b}, ours, train each round | median | inference each round | median |`);
  console.log('| --- | --- | ---: | --- | ---: |');
  for (const key of [...train.keys()].filter((k) => k.startsWith(`${a} | `))) {
    const model = key.slice(a.length + 3);
    const ratio = (t: Map<string, Measure[]>) => {
      const x = t.get(key) ?? [];
      const y = t.get(`${b} | ${model}`) ?? [];
      return x.map((m, i) => m.ours / (y[i]?.ours ?? Number.NaN));
    };
    const tr = ratio(train);
    const inf = ratio(infer);
    console.log(
      `| ${model} | ${tr.map((x) => x.toFixed(2)).join(', ')} | ${median(tr).toFixed(2)} | ${inf.map((x) => x.toFixed(2)).join(', ')} | ${median(inf).toFixed(2)} |`,
    );
  }
}
