/**
 * The benchmark study of issue 15, on data anyone can regenerate offline. The protocol is fixed here, before
 * any test number is seen (see README.md):
 * 1. strength: the baseline with the calibration seeds (never used again) at each candidate strength, on the
 *    validation split only;
 * 2. comparison: CE, CE+HSIC, CE+AWP and QAD (Table 4's main rows) with the comparison seeds at that strength,
 *    test AUC / ACC / balanced ACC per quality, mean ± std, paired t-test and sign-flip test across seeds and a
 *    paired bootstrap over test videos;
 * 3. held-out manipulation (train on SelfBlend only, test on FaceSwap only) and held-out quality (train on raw
 *    and c23, test on c40), CE against QAD.
 * `--smoke` runs the same code on a tiny benchmark for CI.
 */

import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeBenchmark } from '@qad/benchmark';
import {
  buildBackbone,
  curveFigure,
  evaluateExperiment,
  pairedEvalSource,
  parseConfig,
  preparePairedIndex,
  type ResolvedExperiment,
  resolveExperiment,
  runExperiment,
} from '@qad/cli';
import { evaluate, loadCheckpoint, type QualityMetrics } from '@qad/trainer';
import { pairedComparison } from './statistics';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    out: { type: 'string', default: '/tmp/qad-study' },
    results: { type: 'string', default: 'results' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke!;
const out = values.out!;
const results = values.results!;
const PROTOCOL = {
  pairs: smoke ? { train: 2, val: 1, test: 1 } : { train: 40, val: 8, test: 12 },
  benchmarkSeed: 7,
  strengths: smoke ? [1] : [0.5, 1],
  calibrationSeeds: [100],
  seeds: smoke ? [0, 1] : [0, 1, 2, 3, 4],
  methods: ['ce', 'hsic', 'awp-xe', 'qad'],
  heldOutMethods: ['ce', 'qad'],
  heldOutSeeds: smoke ? [0] : [0, 1],
  epochs: smoke ? 1 : 5,
  framesPerVideo: smoke ? 2 : 4,
  inputSize: 64,
  widthMultiplier: 0.25,
  batchPerQuality: 8,
  learningRate: 2e-3,
};
const TEST_QUALITIES = ['raw', 'c23', 'c40', 'jpeg'];
const log = (line: string) => console.log(`[${((Date.now() - started) / 60000).toFixed(1)} min] ${line}`);
const started = Date.now();

interface RunOptions {
  root: string;
  method: string;
  seed: number;
  name: string;
  qualities?: string[];
  manipulations?: string[];
  evalQualities?: string[];
}

function config(o: RunOptions): ResolvedExperiment {
  return resolveExperiment(
    parseConfig({
      name: o.name,
      data: {
        format: 'ffpp',
        root: o.root,
        faces: 'sidecar',
        framesPerVideo: PROTOCOL.framesPerVideo,
        // One crop folder per (manipulations, qualities): a crop cache is tied to its settings.
        crops: join(o.root, `crops-${[...(o.manipulations ?? ['all']), ...(o.qualities ?? [])].join('-')}`),
        preResize: null,
        ...(o.qualities ? { qualities: o.qualities } : {}),
        ...(o.manipulations ? { methods: o.manipulations } : {}),
      },
      model: {
        backbone: 'resnet18',
        inputSize: PROTOCOL.inputSize,
        widthMultiplier: PROTOCOL.widthMultiplier,
      },
      train: {
        method: o.method,
        epochs: PROTOCOL.epochs,
        batchPerQuality: PROTOCOL.batchPerQuality,
        learningRate: PROTOCOL.learningRate,
        awpWarmupEpochs: 1,
        validationWarmupEpochs: 0,
        validationsPerEpoch: 2,
        selectBy: 'auc',
        seed: o.seed,
      },
      eval: { qualities: o.evalQualities ?? TEST_QUALITIES, batchSize: 64 },
      output: join(out, o.name),
      backend: 'auto',
    }),
  );
}

type Curve = { x: number[]; y: number[] };

async function train(
  o: RunOptions,
): Promise<{ perQuality: Record<string, QualityMetrics>; curve: Curve; seconds: number }> {
  const t0 = Date.now();
  const curve: Curve = { x: [], y: [] };
  const r = await runExperiment(config(o), {
    onValidation: (e) => {
      curve.x.push(e.step);
      curve.y.push(e.evaluation.pooled.auc ?? Number.NaN);
    },
  });
  return { perQuality: r.evaluation.perQuality, curve, seconds: (Date.now() - t0) / 1000 };
}

async function benchmark(strength: number): Promise<string> {
  const dir = join(out, `bench-s${strength}`);
  await makeBenchmark({
    outDir: dir,
    size: PROTOCOL.pairs,
    seed: PROTOCOL.benchmarkSeed,
    strength,
    overwrite: true,
  });
  return dir;
}

await mkdir(results, { recursive: true });
const record: Record<string, unknown> = {
  protocol: PROTOCOL,
  command: `pnpm --filter @qad/example-benchmark-study start${smoke ? ' -- --smoke' : ''}`,
};

// 1. Strength on the validation split, calibration seeds only.
const calibration: Record<string, Record<string, number | undefined>> = {};
for (const strength of PROTOCOL.strengths) {
  const root = await benchmark(strength);
  for (const seed of PROTOCOL.calibrationSeeds) {
    const c = config({ root, method: 'ce', seed, name: `s${strength}-calibration-seed${seed}` });
    await runExperiment(c);
    const index = await preparePairedIndex(c);
    const net = await buildBackbone(c);
    await loadCheckpoint(join(c.output, 'checkpoints', 'ce', 'best'), net, null);
    const val = await evaluate(
      net,
      pairedEvalSource(index.val, ['raw', 'c23', 'c40'], {
        inputSize: PROTOCOL.inputSize,
        preResize: null,
        seed: 0,
        batchSize: 64,
      }),
    );
    net.dispose();
    calibration[String(strength)] = Object.fromEntries(
      Object.entries(val.perQuality).map(([q, m]) => [q, m.auc]),
    );
    log(
      `calibration strength ${strength} seed ${seed}: validation AUC ${JSON.stringify(calibration[String(strength)])}`,
    );
  }
}
// The weakest strength at which the baseline detects (validation raw AUC ≥ 0.75) and c40 is harder than raw.
const chosen =
  PROTOCOL.strengths.find((s) => {
    const v = calibration[String(s)]!;
    return (v.raw ?? 0) >= 0.75 && (v.raw ?? 0) > (v.c40 ?? 1);
  }) ?? PROTOCOL.strengths[PROTOCOL.strengths.length - 1]!;
log(`chosen strength: ${chosen}`);
record.calibration = calibration;
record.chosen = chosen;
const root = join(out, `bench-s${chosen}`);

// 2. The four main rows with the comparison seeds.
const runs: Record<
  string,
  { seed: number; perQuality: Record<string, QualityMetrics>; curve: Curve; seconds: number }[]
> = {};
for (const method of PROTOCOL.methods) {
  runs[method] = [];
  for (const seed of PROTOCOL.seeds) {
    const name = `s${chosen}-${method}-seed${seed}`;
    const r = await train({ root, method, seed, name });
    runs[method]!.push({ seed, ...r });
    log(
      `${method} seed ${seed}: test AUC ${TEST_QUALITIES.map((q) => (r.perQuality[q]?.auc ?? Number.NaN).toFixed(3)).join(' ')} (${r.seconds.toFixed(0)} s)`,
    );
  }
}
record.runs = runs;
await writeFile(join(results, 'study.json'), `${JSON.stringify(record, null, 1)}\n`);

// 3. Held-out manipulation and held-out quality, CE against QAD.
const heldOut: Record<
  string,
  Record<string, { seed: number; perQuality: Record<string, QualityMetrics> }[]>
> = {
  'SelfBlend → FaceSwap': {},
  'raw+c23 → c40': {},
};
for (const method of PROTOCOL.heldOutMethods) {
  heldOut['SelfBlend → FaceSwap']![method] = [];
  heldOut['raw+c23 → c40']![method] = [];
  for (const seed of PROTOCOL.heldOutSeeds) {
    const trainedOn = `s${chosen}-${method}-selfblend-seed${seed}`;
    await train({
      root,
      method,
      seed,
      name: trainedOn,
      manipulations: ['SelfBlend'],
      evalQualities: ['raw', 'c23', 'c40'],
    });
    const onFaceSwap = config({
      root,
      method,
      seed,
      name: trainedOn,
      manipulations: ['FaceSwap'],
      evalQualities: ['raw', 'c23', 'c40'],
    });
    const fs = await evaluateExperiment(
      { ...onFaceSwap, output: join(out, `${trainedOn}-on-faceswap`) },
      {
        checkpoint: join(out, trainedOn, 'checkpoints', method, 'best'),
      },
    );
    heldOut['SelfBlend → FaceSwap']![method]!.push({ seed, perQuality: fs.evaluation.perQuality });
    const noC40 = `s${chosen}-${method}-no-c40-seed${seed}`;
    await train({
      root,
      method,
      seed,
      name: noC40,
      qualities: ['raw', 'c23'],
      evalQualities: ['raw', 'c23'],
    });
    const onC40 = config({ root, method, seed, name: noC40, evalQualities: ['raw', 'c23', 'c40'] });
    const c40 = await evaluateExperiment(
      { ...onC40, output: join(out, `${noC40}-on-c40`) },
      {
        checkpoint: join(out, noC40, 'checkpoints', method, 'best'),
      },
    );
    heldOut['raw+c23 → c40']![method]!.push({ seed, perQuality: c40.evaluation.perQuality });
    log(
      `held out, ${method} seed ${seed}: FaceSwap raw AUC ${fs.evaluation.perQuality.raw?.auc?.toFixed(3)}, c40 AUC ${c40.evaluation.perQuality.c40?.auc?.toFixed(3)}`,
    );
  }
}
record.heldOut = heldOut;

// Tables, tests and figures.
const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : (v * 100).toFixed(1));
const meanSd = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${pct(mean)} ± ${pct(sd)}`;
};
const table = (
  metric: 'auc' | 'accuracy' | 'balancedAccuracy',
  rows: Record<string, { perQuality: Record<string, QualityMetrics> }[]>,
  qualities: string[],
) => [
  `| method | ${qualities.join(' | ')} |`,
  `| --- | ${qualities.map(() => '---:').join(' | ')} |`,
  ...Object.entries(rows).map(
    ([m, rs]) =>
      `| ${m} | ${qualities.map((q) => meanSd(rs.map((r) => r.perQuality[q]?.[metric] ?? Number.NaN))).join(' | ')} |`,
  ),
];
const comparisons = ['hsic', 'awp-xe', 'qad'].map((m) => ({
  method: m,
  ...Object.fromEntries(
    TEST_QUALITIES.map((q) => [
      q,
      pairedComparison(
        runs[m]!.map((r) => r.perQuality[q]!.auc!),
        runs.ce!.map((r) => r.perQuality[q]!.auc!),
      ),
    ]),
  ),
}));
record.comparisons = comparisons;
const lines = [
  `Command: \`${record.command}\`. Protocol: ${JSON.stringify(PROTOCOL)}.`,
  '',
  'Strength calibration (baseline CE, calibration seeds, **validation** AUC %):',
  '',
  '| strength | raw | c23 | c40 |',
  '| ---: | ---: | ---: | ---: |',
  ...PROTOCOL.strengths.map(
    (s) => `| ${s} | ${['raw', 'c23', 'c40'].map((q) => pct(calibration[String(s)]![q])).join(' | ')} |`,
  ),
  '',
  `Chosen strength ${chosen}. Test split, mean ± std over seeds ${PROTOCOL.seeds.join(', ')}.`,
  '',
  '**AUC (%)**',
  '',
  ...table('auc', runs, TEST_QUALITIES),
  '',
  '**ACC (%)**, threshold chosen on validation (maximum accuracy)',
  '',
  ...table('accuracy', runs, TEST_QUALITIES),
  '',
  '**balanced ACC (%)**, same threshold',
  '',
  ...table('balancedAccuracy', runs, TEST_QUALITIES),
  '',
  'Paired differences of test AUC against CE across seeds (points; t-test two-sided, exact sign-flip test):',
  '',
  `| method | ${TEST_QUALITIES.join(' | ')} |`,
  `| --- | ${TEST_QUALITIES.map(() => '---').join(' | ')} |`,
  ...comparisons.map(
    (c) =>
      `| ${c.method} − ce | ${TEST_QUALITIES.map((q) => {
        const s = (c as unknown as Record<string, ReturnType<typeof pairedComparison>>)[q]!;
        return `${(s.meanDifference * 100).toFixed(1)} (t p = ${s.tTestP.toFixed(3)}, sign-flip p = ${s.signFlipP.toFixed(3)})`;
      }).join(' | ')} |`,
  ),
  '',
  `Held-out manipulation (trained on SelfBlend only; tested on FaceSwap fakes and the reals), seeds ${PROTOCOL.heldOutSeeds.join(', ')}, AUC (%):`,
  '',
  ...table('auc', heldOut['SelfBlend → FaceSwap']!, ['raw', 'c23', 'c40']),
  '',
  `Held-out quality (trained on raw and c23; tested on c40 among others), seeds ${PROTOCOL.heldOutSeeds.join(', ')}, AUC (%):`,
  '',
  ...table('auc', heldOut['raw+c23 → c40']!, ['raw', 'c23', 'c40']),
  '',
  `Total time ${((Date.now() - started) / 60000).toFixed(1)} min.`,
];
record.minutes = (Date.now() - started) / 60000;
const curves: Record<string, Curve> = {};
for (const m of PROTOCOL.methods) for (const r of runs[m]!) curves[`${m} seed ${r.seed}`] = r.curve;
const figure = await curveFigure(curves, {
  title: 'Validation AUC (pooled qualities) during training',
  x: 'step',
  y: 'AUC',
});
await writeFile(join(results, 'validation-curves.svg'), figure.svg);
for (const m of ['ce', 'qad']) {
  const runDir = join(out, `s${chosen}-${m}-seed${PROTOCOL.seeds[0]}`);
  await copyFile(join(runDir, 'roc.svg'), join(results, `roc-${m}.svg`));
  await copyFile(join(runDir, 'tsne.svg'), join(results, `tsne-${m}.svg`)).catch(() => undefined);
}
await writeFile(join(results, 'study.md'), `${lines.join('\n')}\n`);
await writeFile(join(results, 'study.json'), `${JSON.stringify(record, null, 1)}\n`);
console.log(`\n${lines.join('\n')}`);
