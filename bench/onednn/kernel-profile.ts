/**
 * Where one forward + backward pass of a backbone spends its time on the oneDNN backend: kernels by total
 * time, then by kernel and input shapes, and which kernels fell back to the cpu backend. See README.md.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { type BackboneName, createBackbone } from '../../packages/backbones/src';
import { kernelRoutes, registerOnednnBackend, resetKernelRoutes } from '../../packages/backend-onednn/src';

const { values: args } = parseArgs({
  // `pnpm --filter @qad/bench <script> -- --opt …` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    model: { type: 'string', default: 'resnet18' },
    size: { type: 'string', default: '112' },
    batch: { type: 'string', default: '16' },
    top: { type: 'string', default: '25' },
  },
});
registerOnednnBackend();
await tf.setBackend('onednn');
const size = Number(args.size);
const net = createBackbone(args.model as BackboneName, { inputSize: size });
const x = tf.randomNormal([Number(args.batch), size, size, 3]) as tf.Tensor4D;
const step = () => {
  const { grads, value } = tf.variableGrads(() => tf.mean(net.forward(x, { training: true }).logits));
  tf.dispose([value, ...Object.values(grads)]);
};
step();
const start = performance.now();
step();
console.log(
  `${args.model} @${size}, batch ${args.batch}: forward + backward ${(performance.now() - start).toFixed(0)} ms`,
);
resetKernelRoutes();
const profile = await tf.profile(step);
const byKernel = new Map<string, number>();
const byShape = new Map<string, number>();
for (const k of profile.kernels) {
  byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  byShape.set(key, (byShape.get(key) ?? 0) + Number(k.kernelTimeMs));
}
const top = Number(args.top);
console.log('\n| kernel | ms |\n| --- | ---: |');
for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`| ${name} | ${ms.toFixed(1)} |`);
console.log('\n| kernel and input shapes | ms |\n| --- | ---: |');
for (const [name, ms] of [...byShape].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`| ${name} | ${ms.toFixed(1)} |`);
const fallbacks = Object.entries(kernelRoutes()).filter(([, r]) => r.fallback > 0);
console.log(
  `\nCalls handed to the cpu kernel: ${fallbacks.length === 0 ? 'none' : fallbacks.map(([k, r]) => `${k} ${r.fallback}`).join(', ')}`,
);
tf.dispose(x);
