/**
 * How much signal each dependence estimator carries on real tapped features (issue 15, point 2): for a
 * trained run of the study, the raw and c40 test crops of the same faces go through the backbone; for each tap
 * and batch size B, R random batches give the estimator on paired views (raw face i with c40 face i) and on
 * shuffled views (raw face i with c40 face π(i), π a derangement). The separation is
 * `(mean paired − mean shuffled) / sd(shuffled)`: how many shuffled-batch standard deviations a batch of
 * truly paired qualities stands out — what the collaborative loss can pull on.
 *
 *   pnpm --filter @qad/example-benchmark-study hsic-signal -- --run /tmp/qad-study/s0.5-qad-seed0
 */

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '@qad/backend';
import { buildBackbone, pairedEvalSource, preparePairedIndex, type ResolvedExperiment } from '@qad/cli';
import { Rng } from '@qad/core';
import { type EstimatorName, hsic, type KernelName } from '@qad/hsic';
import { loadCheckpoint } from '@qad/trainer';
import * as tf from '@tensorflow/tfjs';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    run: { type: 'string' },
    batches: { type: 'string', default: '8,16,32,64' },
    draws: { type: 'string', default: '30' },
    results: { type: 'string', default: 'results' },
  },
});
if (values.run === undefined) throw new Error('--run <output folder of a study run> is required.');
const batchSizes = values.batches!.split(',').map(Number);
const draws = Number(values.draws);

interface Estimator {
  name: string;
  estimator: EstimatorName;
  kernel: KernelName;
  sigma: number | 'median';
  scaleByDim: boolean;
}
const ESTIMATORS: Estimator[] = [
  {
    name: "NOCCO, σ 6·√d (authors', default)",
    estimator: 'nocco',
    kernel: 'gaussian',
    sigma: 6,
    scaleByDim: true,
  },
  {
    name: 'biased HSIC Eq. 8, σ 6·√d (paper preset)',
    estimator: 'biased',
    kernel: 'gaussian',
    sigma: 6,
    scaleByDim: true,
  },
  { name: 'unbiased HSIC, σ 6·√d', estimator: 'unbiased', kernel: 'gaussian', sigma: 6, scaleByDim: true },
  {
    name: 'biased HSIC, median σ',
    estimator: 'biased',
    kernel: 'gaussian',
    sigma: 'median',
    scaleByDim: false,
  },
  { name: 'CKA, linear kernel', estimator: 'cka', kernel: 'linear', sigma: 1, scaleByDim: false },
  { name: 'CKA, Gaussian σ 6·√d', estimator: 'cka', kernel: 'gaussian', sigma: 6, scaleByDim: true },
  {
    name: 'CKA, Gaussian median σ',
    estimator: 'cka',
    kernel: 'gaussian',
    sigma: 'median',
    scaleByDim: false,
  },
];

const config = JSON.parse(await readFile(join(values.run, 'results.json'), 'utf8'))
  .config as ResolvedExperiment;
await selectBackend('auto');
const index = await preparePairedIndex(config);
const net = await buildBackbone({ ...config, model: { ...config.model, weights: undefined } });
await loadCheckpoint(join(values.run, 'checkpoints', config.train.method, 'best'), net, null);

// Tapped features of every test frame at raw and c40, flattened per sample, in the split's order.
const features: Record<string, Record<string, Float32Array[]>> = { raw: {}, c40: {} };
const source = pairedEvalSource(index.test, ['raw', 'c40'], {
  inputSize: config.hyper.inputSize,
  preResize: config.data.preResize,
  seed: 0,
  batchSize: 64,
});
for (const quality of ['raw', 'c40'] as const) {
  for await (const batch of source.batches(quality)) {
    const { logits, features: taps } = net.forward(batch.images);
    for (const [tap, z] of Object.entries(taps)) {
      const flat = z.reshape([z.shape[0]!, -1]);
      const rows = flat.arraySync() as number[][];
      const collected = features[quality]![tap] ?? [];
      collected.push(...rows.map((r) => Float32Array.from(r)));
      features[quality]![tap] = collected;
      flat.dispose();
    }
    tf.dispose([logits, ...Object.values(taps)]);
    batch.dispose();
  }
}
net.dispose();
const taps = Object.keys(features.raw!);
const n = features.raw![taps[0]!]!.length;
console.log(
  `test frames: ${n}; taps ${taps.map((t) => `${t} (d = ${features.raw![t]![0]!.length})`).join(', ')}`,
);

const rng = new Rng(2024);
const stack = (rows: Float32Array[]) => tf.tensor2d(rows.map((r) => Array.from(r)));
const rowsOut: string[] = [];
const record: Record<string, unknown> = { run: values.run, frames: n, draws, results: [] as unknown[] };
for (const tap of taps) {
  const d = features.raw![tap]![0]!.length;
  for (const b of batchSizes.filter((x) => x <= n)) {
    const samples = Array.from({ length: draws }, () => {
      const idx = rng.shuffle([...Array(n).keys()]).slice(0, b);
      // A derangement of the batch: every raw face meets another face's c40 view.
      const shift = 1 + rng.int(0, b - 2);
      return { idx, other: idx.map((_, i) => idx[(i + shift) % b]!) };
    });
    for (const e of ESTIMATORS) {
      const paired: number[] = [];
      const shuffled: number[] = [];
      for (const { idx, other } of samples) {
        tf.tidy(() => {
          const x = stack(idx.map((i) => features.raw![tap]![i]!));
          const opts = {
            estimator: e.estimator,
            kernel: e.kernel,
            sigma: e.sigma,
            scaleByDim: e.scaleByDim,
            validate: false,
          };
          paired.push(hsic(x, stack(idx.map((i) => features.c40![tap]![i]!)), opts).dataSync()[0]!);
          shuffled.push(hsic(x, stack(other.map((i) => features.c40![tap]![i]!)), opts).dataSync()[0]!);
        });
      }
      const mean = (v: number[]) => v.reduce((a, c) => a + c, 0) / v.length;
      const sd = (v: number[]) => Math.sqrt(v.reduce((a, c) => a + (c - mean(v)) ** 2, 0) / (v.length - 1));
      const separation = (mean(paired) - mean(shuffled)) / (sd(shuffled) || Number.NaN);
      (record.results as unknown[]).push({
        tap,
        d,
        b,
        estimator: e.name,
        paired: mean(paired),
        shuffled: mean(shuffled),
        separation,
      });
      rowsOut.push(
        `| ${tap} | ${d} | ${b} | ${e.name} | ${mean(paired).toPrecision(4)} | ${mean(shuffled).toPrecision(4)} | ${separation.toFixed(2)} |`,
      );
      console.log(rowsOut[rowsOut.length - 1]);
    }
  }
}
const md = [
  `Run \`${values.run}\`, ${n} test frames per quality, ${draws} random batches per cell (raw vs c40 views).`,
  '',
  '| tap | d | B | estimator | paired | shuffled | separation (sd) |',
  '| --- | ---: | ---: | --- | ---: | ---: | ---: |',
  ...rowsOut,
];
await writeFile(join(values.results!, 'hsic-signal.md'), `${md.join('\n')}\n`);
await writeFile(join(values.results!, 'hsic-signal.json'), `${JSON.stringify(record, null, 1)}\n`);
