/**
 * Time of one QAD training step (AWP ascent + CE + α·HSIC at the perturbed weights) against the
 * mixed-quality cross-entropy baseline at the same M·B, and of the ablations in between. See README.md.
 */
import { parseArgs } from 'node:util';
import { AdversarialWeightPerturbation } from '@qad/awp';
import * as tf from '@tensorflow/tfjs';
import { type BackboneName, createBackbone } from '../../packages/backbones/src';
import { type BackendRequest, selectBackend } from '../../packages/backend/src';
import { Adam } from '../../packages/trainer/src/adam';
import { resolveMethod } from '../../packages/trainer/src/methods';
import { trainStep } from '../../packages/trainer/src/train_step';

const { values: args } = parseArgs({
  // `pnpm --filter @qad/bench <script> -- --opt …` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    backend: { type: 'string', default: 'wasm' },
    model: { type: 'string', default: 'resnet18' },
    size: { type: 'string', default: '112' },
    batch: { type: 'string', default: '4' },
    qualities: { type: 'string', default: '3' },
    steps: { type: 'string', default: '4' },
    methods: { type: 'string', default: 'ce,hsic,awp-xe,qad' },
  },
});
const size = Number(args.size);
const b = Number(args.batch);
const m = Number(args.qualities);
const steps = Number(args.steps);

const selected = await selectBackend(args.backend as BackendRequest);
console.log(
  `backend ${selected.backend} (${selected.reason}); ${args.model} @${size}, M·B = ${m}×${b}, ${steps} timed steps`,
);

const qualities = ['raw', 'c23', 'c40', 'jpeg'].slice(0, m);
const images = tf.randomNormal([m * b, size, size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
const labels = tf.tensor1d(
  qualities.flatMap(() => Array.from({ length: b }, (_, i) => i % 2)),
  'int32',
);
const batch = { images, labels, qualities, batchSize: b, sampleIndices: [], dispose() {} };

const rows: { method: string; ms: number; tensors: number }[] = [];
for (const name of args.methods!.split(',')) {
  const method = resolveMethod(name);
  const net = createBackbone(args.model as BackboneName, { inputSize: size, seed: 1 });
  const optimizer = new Adam({ weightDecay: 1e-4 });
  const awp = method.awp === 'none' ? null : new AdversarialWeightPerturbation(net.model, { gamma: 0.002 });
  const target = { backbone: net, optimizer, awp, method };
  const settings = { step: 0, alpha: 0.003, awpActive: true, learningRate: 1e-4, beta1: 0.9 };
  trainStep(target, batch, settings); // warm-up: kernels compiled, moments allocated
  const tensors = tf.memory().numTensors;
  const t0 = performance.now();
  for (let s = 1; s <= steps; s++) trainStep(target, batch, { ...settings, step: s });
  const ms = (performance.now() - t0) / steps;
  rows.push({ method: name, ms, tensors: tf.memory().numTensors - tensors });
  optimizer.dispose();
  net.dispose();
}
const base = rows.find((r) => r.method === 'ce')?.ms ?? rows[0]!.ms;
console.log('\n| method | ms / step | img/s | × ce | tensors leaked |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.method} | ${r.ms.toFixed(0)} | ${((m * b * 1000) / r.ms).toFixed(2)} | ${(r.ms / base).toFixed(2)} | ${r.tensors} |`,
  );
}
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
tf.dispose([images, labels]);
