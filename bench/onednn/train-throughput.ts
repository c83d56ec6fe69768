/**
 * Training and inference images/s of a backbone on the oneDNN backend (phase 1: convolutions and matmuls in
 * oneDNN, everything else on the cpu backend's kernels) beside the wasm backend, in the same run. Needs
 * `apt-get install -y libdnnl-dev && pnpm --filter @qad/backend-onednn build:native`. See README.md.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../packages/backend/src';
import { registerOnednnBackend } from '../../packages/backend-onednn/src';
import { measureThroughput } from '../../packages/trainer/src/throughput';

const { values: args } = parseArgs({
  // `pnpm --filter @qad/bench <script> -- --opt …` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    model: { type: 'string', default: 'resnet18' },
    size: { type: 'string', default: '112' },
    batch: { type: 'string', default: '4' },
    steps: { type: 'string', default: '3' },
    method: { type: 'string', default: 'ce' },
  },
});
const options = {
  model: args.model!,
  size: Number(args.size),
  batch: Number(args.batch),
  qualities: 3,
  steps: Number(args.steps),
  method: args.method!,
};
console.log(
  `${options.model} @${options.size}, ${options.method}, M·B = 3×${options.batch}, ${options.steps} timed steps`,
);
console.log('\n| backend | train img/s | inference img/s |\n| --- | ---: | ---: |');
registerOnednnBackend();
for (const backend of ['onednn', 'wasm']) {
  if (backend === 'wasm') await selectBackend('wasm');
  else await tf.setBackend(backend);
  const r = await measureThroughput(options);
  console.log(
    `| ${backend} | ${r.trainImagesPerSecond.toFixed(2)} | ${r.inferenceImagesPerSecond.toFixed(2)} |`,
  );
}

// Where a training step's time goes on the oneDNN backend: the kernels not yet in oneDNN show up here.
{
  await tf.setBackend('onednn');
  const { createBackbone } = await import('../../packages/backbones/src');
  const net = createBackbone(options.model as 'resnet18', { inputSize: options.size });
  const x = tf.randomNormal([3 * options.batch, options.size, options.size, 3]) as tf.Tensor4D;
  const profile = await tf.profile(() => {
    const { grads, value } = tf.variableGrads(() => tf.mean(net.forward(x, { training: true }).logits));
    tf.dispose([value, ...Object.values(grads)]);
  });
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) {
    byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  console.log(
    '\nonednn, one forward + backward, kernels by time:\n\n| kernel | ms | share |\n| --- | ---: | ---: |',
  );
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`| ${name} | ${ms.toFixed(0)} | ${((100 * ms) / total).toFixed(1)} % |`);
  }
  tf.dispose(x);
  net.dispose();
}
