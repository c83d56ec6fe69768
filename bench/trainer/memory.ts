/**
 * Tensor count and resident memory over a long QAD run (issue 6: "numTensors flat across 500 steps; peak RSS
 * reported"): `train()` of @qad/trainer on an in-memory paired source, sampled every 50 steps. See README.md.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { createBackbone } from '../../packages/backbones/src';
import { type BackendRequest, selectBackend } from '../../packages/backend/src';
import type { BatchSource } from '../../packages/trainer/src/sources';
import { train } from '../../packages/trainer/src/trainer';

const { values: args } = parseArgs({
  // `pnpm --filter @qad/bench <script> -- --opt …` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '500' },
    size: { type: 'string', default: '32' },
    width: { type: 'string', default: '0.125' },
  },
});
const steps = Number(args.steps);
const size = Number(args.size);
const selection = await selectBackend(args.backend as BackendRequest);
const net = createBackbone('resnet18', { inputSize: size, widthMultiplier: Number(args.width), seed: 1 });
const qualities = ['raw', 'c23', 'c40'];
const b = 4;
const source: BatchSource = {
  batchesPerEpoch: 50,
  qualities,
  async *epoch(epoch, from = 0) {
    for (let i = from; i < 50; i++) {
      const images = tf.randomNormal(
        [qualities.length * b, size, size, 3],
        0,
        1,
        'float32',
        epoch * 50 + i,
      ) as tf.Tensor4D;
      const labels = tf.tensor1d(
        qualities.flatMap(() => [0, 1, 0, 1]),
        'int32',
      );
      yield {
        images,
        labels,
        qualities,
        batchSize: b,
        sampleIndices: [0, 1, 2, 3],
        dispose: () => tf.dispose([images, labels]),
      };
    }
  },
};
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;
const samples: { step: number; tensors: number; rss: number }[] = [];
const t0 = Date.now();
await train({
  backbone: net,
  train: source,
  method: 'qad',
  epochs: Math.ceil(steps / 50),
  learningRate: 1e-3,
  awpWarmupEpochs: 1,
  onStep: (e) => {
    if ((e.step + 1) % 50 === 0)
      samples.push({ step: e.step + 1, tensors: tf.memory().numTensors, rss: rssMiB() });
  },
});
console.log(
  `backend ${selection.backend}; resnet18 ×${args.width} @${size}, M·B = 3×${b}, ${steps} QAD steps in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
console.log('\n| step | tensors | RSS MiB |\n| ---: | ---: | ---: |');
for (const s of samples) console.log(`| ${s.step} | ${s.tensors} | ${s.rss.toFixed(0)} |`);
const tensors = samples.map((s) => s.tensors);
console.log(
  `\ntensor count ${Math.min(...tensors) === Math.max(...tensors) ? 'flat' : 'NOT flat'} (${Math.min(...tensors)}–${Math.max(...tensors)}); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
