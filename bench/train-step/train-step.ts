/**
 * Training and inference throughput of ResNet-18, EfficientNet-B0 and ResNet-50 on a tfjs backend, beside
 * PyTorch's on the same machine when Debian's python3-torch is installed. See README.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {
  type BackboneName,
  createBackbone,
  listBackbones,
  optimizeForInference,
  optimizeForTraining,
} from '../../packages/backbones/src';
import {
  assertFitsWasmHeap,
  type BackendRequest,
  estimateTrainingMemory,
  selectBackend,
} from '../../packages/backend/src';
import { Adam } from '../../packages/trainer/src/adam';
import { AdamOptimizer } from '../../packages/trainer/src/adam_optimizer';
import { trainableVariables } from '../../packages/trainer/src/trainable';
import { STOCK_MODELS, stockResNet } from './stock_models';

// `pnpm --filter @qad/bench train-step -- --models …` passes the `--` through.
const argv = process.argv.slice(2).filter((a) => a !== '--');
const { values: args } = parseArgs({
  args: argv,
  options: {
    backend: { type: 'string', default: 'wasm' },
    models: { type: 'string', default: 'resnet18,efficientnet_b0,resnet50' },
    size: { type: 'string', default: '112' },
    batch: { type: 'string', default: '16' },
    steps: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    isa: { type: 'string' },
    'torch-threads': { type: 'string', default: '1,2' },
    stock: { type: 'boolean', default: false },
    optimize: { type: 'boolean', default: false },
    'fused-adam': { type: 'boolean', default: false },
    'fold-bn': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    child: { type: 'boolean', default: false },
  },
});
const steps = Number(args.steps);
const warmup = Number(args.warmup);
if (!Number.isInteger(steps) || steps < 1)
  throw new Error(`--steps must be a positive integer, got ${args.steps}`);
if (!Number.isInteger(warmup) || warmup < 0)
  throw new Error(`--warmup must be a non-negative integer, got ${args.warmup}`);
const torchThreads = args['torch-threads']!.split(',').filter((t) => t !== '');
// PyTorch keeps its own instruction set: the cap applies to our backend only (set before oneDNN reads it).
const torchEnv: NodeJS.ProcessEnv = { ...process.env };
if (args.isa) process.env.DNNL_MAX_CPU_ISA = args.isa;
/** One measured configuration: `name`, or `name@size` or `name@sizexbatch` (e.g. `resnet50@224x8`). */
interface Spec {
  spec: string;
  model: BackboneName;
  size: number;
  batch: number;
}
const specs: Spec[] = args.models!.split(',').map((spec) => {
  const m = /^([a-z0-9_]+)(?:@(\d+)(?:x(\d+))?)?$/.exec(spec);
  if (!m || !listBackbones().some((b) => b.name === m[1])) {
    throw new Error(
      `Unknown model '${spec}': expected one of ${listBackbones()
        .map((b) => b.name)
        .join(', ')}, optionally followed by @size or @sizexbatch.`,
    );
  }
  return {
    spec,
    model: m[1] as BackboneName,
    size: Number(m[2] ?? args.size),
    batch: Number(m[3] ?? args.batch),
  };
});
const models = specs.map((s) => s.spec);
if (args.stock) {
  const unknown = specs.filter((s) => !STOCK_MODELS.includes(s.model)).map((s) => s.spec);
  if (unknown.length > 0) {
    throw new Error(`--stock builds ${STOCK_MODELS.join(', ')} only; got ${unknown.join(', ')}`);
  }
}

// Each model runs in a process of its own: the wasm heap only grows, and one model's peak must not
// count against the next.
if (!args.child && models.length > 1) {
  const rowsFromChildren: string[] = [];
  for (const model of models) {
    const run = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1]!,
        ...argv.filter((a, i, all) => a !== '--models' && all[i - 1] !== '--models'),
        '--models',
        model,
        '--child',
        '--no-torch',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    for (const line of run.stdout.split('\n')) {
      if (line.startsWith('ROW ')) rowsFromChildren.push(line.slice(4));
      else if (line.trim() !== '' && !/^(backend:|models at)/.test(line)) console.log(line);
    }
    if (run.status !== 0) console.log(`${model}: the benchmark process failed (exit ${run.status}).`);
  }
  process.env.QAD_BENCH_ROWS = JSON.stringify(rowsFromChildren.map((r) => JSON.parse(r)));
}

const selection = await selectBackend(args.backend as BackendRequest);
console.log(`backend: ${selection.backend} — ${selection.reason}`);
console.log(
  `median of ${steps} steps, each timed on its own, after ${warmup} warm-up steps` +
    (args.isa ? `; DNNL_MAX_CPU_ISA=${args.isa} for ${selection.backend} only` : '') +
    '\n',
);

/** The median of `n` timed calls of `step`, in ms. */
async function medianMs(step: () => unknown, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return n % 2 ? times[n >> 1]! : (times[n / 2 - 1]! + times[n / 2]!) / 2;
}

/** Random images and alternating one-hot labels for one batch. */
function randomBatch(batch: number, size: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const x = tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 2),
    'int32',
  );
  const y = tf.oneHot(labels, 2) as tf.Tensor2D;
  labels.dispose();
  return { x, y };
}

/** Training and inference images/s (median step after the warm-up) and, unless disabled, a profile. */
async function measure(
  name: string,
  batch: number,
  trainStep: () => unknown,
  infer: () => unknown,
): Promise<{ train: number; infer: number }> {
  for (let s = 0; s < warmup; s++) await trainStep();
  const train = (1000 * batch) / (await medianMs(trainStep, steps));
  for (let s = 0; s < warmup; s++) infer();
  const inferRate = (1000 * batch) / (await medianMs(infer, steps));
  if (!args['no-profile']) profiles[name] = await profileOf(trainStep);
  return { train, infer: inferRate };
}

/** Kernel time of one call of `step` by kernel name, largest first (tf.profile). */
async function profileOf(step: () => unknown): Promise<Array<[string, number]>> {
  const info = await tf.profile(async () => {
    await step();
  });
  const byKernel = new Map<string, number>();
  for (const k of info.kernels)
    byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  return [...byKernel.entries()].sort((a, b) => b[1] - a[1]);
}

/** Size of the wasm heap, which only grows: after training, roughly the peak the step needed. */
function heapNote(): string {
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm;
  return wasm ? `, wasm heap ${(wasm.HEAPU8.length / 2 ** 30).toFixed(2)} GiB` : '';
}

interface Row {
  model: string;
  size: number;
  batch: number;
  train: number;
  infer: number;
  torchTrain?: number;
  torchInfer?: number;
}
const rows: Row[] = [];
const profiles: Record<string, Array<[string, number]>> = {};

for (const { spec: name, model: modelName, size, batch: requestedBatch } of process.env.QAD_BENCH_ROWS
  ? []
  : specs) {
  if (args.stock) {
    // A stock tfjs-layers model trained the Keras way (model.trainOnBatch, tf.train.adam); with --optimize,
    // first rewritten by @qad/backbones' optimizeForTraining (lean batch norm, pads folded into convs).
    // With --fused-adam, @qad/trainer's AdamOptimizer (a tf.Optimizer over the fused kernel) replaces tf.train.adam.
    const stock = stockResNet(modelName, size);
    let model = stock;
    if (args.optimize) {
      const optimized = await optimizeForTraining(stock);
      model = optimized.model;
      stock.dispose();
      console.log(
        `${name}: optimizeForTraining swapped ${optimized.report.batchNorms.length} batch norms, folded ${optimized.report.foldedPaddings.length} pads`,
      );
    }
    // stockResNet compiled the original with tf.train.adam; a rewritten model, or another optimizer, recompiles.
    if (args.optimize || args['fused-adam']) {
      const optimizer = args['fused-adam'] ? new AdamOptimizer({ learningRate: 1e-4 }) : tf.train.adam(1e-4);
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    }
    const batch = requestedBatch;
    const { x, y } = randomBatch(batch, size);
    const { train, infer: inferRate } = await measure(
      name,
      batch,
      () => model.trainOnBatch(x, y),
      () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()),
    );
    rows.push({ model: name, size, batch, train, infer: inferRate });
    if (args.child) console.log(`ROW ${JSON.stringify(rows.at(-1))}`);
    console.log(
      `${name} (stock tfjs-layers${args.optimize ? ', optimizeForTraining' : ''}${args['fused-adam'] ? ', AdamOptimizer' : ''}, trainOnBatch): train ${train.toFixed(2)} img/s, inference ${inferRate.toFixed(1)} img/s`,
    );
    tf.dispose([x, y]);
    model.dispose();
    continue;
  }
  const backbone = createBackbone(modelName, { inputSize: size, numClasses: 2 });
  const model = backbone.model;
  let batch = requestedBatch;
  if (selection.backend === 'wasm') {
    try {
      assertFitsWasmHeap(model, batch, { inputSize: size });
    } catch (error) {
      console.log(`${name}: ${(error as Error).message}`);
      while (batch > 1 && estimateTrainingMemory(model, batch).total > 4 * 2 ** 30)
        batch = Math.floor(batch / 2);
      console.log(`${name}: measuring at batch ${batch} instead.`);
    }
  }
  const estimate = estimateTrainingMemory(model, batch);
  console.log(
    `${name}: estimated training memory at batch ${batch}: ${(estimate.total / 2 ** 30).toFixed(2)} GiB`,
  );
  const { x, y } = randomBatch(batch, size);
  // @qad/trainer's Adam (PyTorch's rule, as torch.optim.Adam in torch_reference.py); a backend that
  // registers the fused update kernel (onednn) runs it in one pass per variable.
  const optimizer = new Adam();
  const variables = trainableVariables(backbone);
  const trainStep = () => {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      variables,
    );
    optimizer.apply(variables, grads, 1e-4, 0.9);
    tf.dispose([value, ...Object.values(grads)]);
  };
  // --fold-bn: inference runs @qad/backbones' optimizeForInference copy (batch norm folded into the convs,
  // conv + bias + ReLU as one FusedConv2D); training still runs the model itself.
  const inferenceModel = args['fold-bn'] ? (await optimizeForInference(model)).model : model;
  const { train, infer: inferRate } = await measure(name, batch, trainStep, () =>
    tf.tidy(() => (inferenceModel.predict(x) as tf.Tensor).dataSync()),
  );
  if (inferenceModel !== model) inferenceModel.dispose();
  rows.push({ model: name, size, batch, train, infer: inferRate });
  if (args.child) console.log(`ROW ${JSON.stringify(rows.at(-1))}`);
  console.log(
    `${name}: train ${train.toFixed(2)} img/s, inference ${inferRate.toFixed(1)} img/s (tensors alive ${tf.memory().numTensors}${heapNote()})`,
  );
  tf.dispose([x, y]);
  optimizer.dispose();
  backbone.dispose();
}

if (process.env.QAD_BENCH_ROWS) rows.push(...(JSON.parse(process.env.QAD_BENCH_ROWS) as Row[]));

function findTorchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (python.startsWith('/') && !existsSync(python)) continue;
    const probe = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

if (!args['no-torch']) {
  const python = findTorchPython();
  if (python === null) {
    console.log(
      '\nPyTorch: skipped — python3-torch/python3-torchvision not importable (apt-get install python3-torch python3-torchvision).',
    );
  } else {
    console.log(
      `\nPyTorch reference (${python}, OMP_NUM_THREADS=${torchThreads.join(' and ')}, channels_last, median step after ${warmup} warm-ups) …`,
    );
    for (const threads of torchThreads)
      for (const row of rows) {
        const run = spawnSync(
          python,
          [
            new URL('./torch_reference.py', import.meta.url).pathname,
            String(row.size),
            String(row.batch),
            String(steps),
            row.model.split('@')[0]!,
            String(warmup),
          ],
          {
            encoding: 'utf8',
            env: { ...torchEnv, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
          },
        );
        if (run.status !== 0) {
          console.log(`PyTorch run failed: ${run.stderr.split('\n').slice(-3).join(' ')}`);
          continue;
        }
        for (const line of run.stdout.trim().split('\n')) {
          const r = JSON.parse(line) as { model: string; train_img_s: number; infer_img_s: number };
          if (threads === '2') {
            row.torchTrain = r.train_img_s;
            row.torchInfer = r.infer_img_s;
          } else {
            Object.assign(row, { torchTrain1: r.train_img_s, torchInfer1: r.infer_img_s });
          }
        }
      }
  }
}

if (!args.child) {
  const fmt = (v: number | undefined, d = 2) => (v === undefined ? '-' : v.toFixed(d));
  console.log(
    `\n| model | size | batch | ${selection.backend} train img/s | PyTorch train (2 thr / 1 thr) | ratio vs 2 thr / 1 thr | ${selection.backend} infer img/s | PyTorch infer (2 thr / 1 thr) | ratio vs 2 thr / 1 thr |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows as Array<Row & { torchTrain1?: number; torchInfer1?: number }>) {
    const ratio = (a: number, b?: number) => (b ? (a / b).toFixed(3) : '-');
    console.log(
      `| ${r.model.split('@')[0]} | ${r.size} | ${r.batch} | ${fmt(r.train)} | ${fmt(r.torchTrain)} / ${fmt(r.torchTrain1)} | ${ratio(r.train, r.torchTrain)} / ${ratio(r.train, r.torchTrain1)} | ${fmt(r.infer, 1)} | ${fmt(r.torchInfer, 1)} / ${fmt(r.torchInfer1, 1)} | ${ratio(r.infer, r.torchInfer)} / ${ratio(r.infer, r.torchInfer1)} |`,
    );
  }
}
if (!args['no-profile']) {
  for (const [name, kernels] of Object.entries(profiles)) {
    const total = kernels.reduce((s, [, ms]) => s + ms, 0);
    console.log(`\nPer-kernel profile of one ${name} training step (${total.toFixed(0)} ms in kernels):`);
    for (const [kernel, ms] of kernels.slice(0, 12))
      console.log(
        `  ${kernel.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms  ${((100 * ms) / total).toFixed(1)}%`,
      );
  }
}
