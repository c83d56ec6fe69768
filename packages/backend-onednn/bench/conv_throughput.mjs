// Throughput of the oneDNN kernels on the reference layer (3×3 conv, N16, C=K=128, 28×28, 'same'),
// called through tfjs (`tf.conv2d` and its two gradients) on the onednn backend and on the cpu backend.
// Each measurement runs for about `SECONDS` seconds; the whole script stays under a minute.
// Run after `pnpm build:native && pnpm build`: node bench/conv_throughput.mjs [--cpu]
import * as tf from '@tensorflow/tfjs';
import { registerOnednnBackend } from '../dist/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const [N, H, W, C, K, F] = [16, 28, 28, 128, 128, 3];
const flops = 2 * N * H * W * C * K * F * F;

function time(label, fn) {
  fn(); // warm-up: creates and caches the primitive
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    // Return nothing from tidy: it would walk a returned typed array element by element.
    tf.tidy(() => {
      fn().dataSync();
    });
    runs++;
  }
  const ms = (performance.now() - start) / runs;
  console.log(
    `${label.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms  ${(flops / ms / 1e6).toFixed(1).padStart(7)} GFLOP/s`,
  );
}

registerOnednnBackend();
const backends = process.argv.includes('--cpu') ? ['onednn', 'cpu'] : ['onednn'];
for (const backend of backends) {
  await tf.setBackend(backend);
  const x = tf.randomUniform([N, H, W, C], -1, 1, 'float32', 1);
  const w = tf.randomUniform([F, F, C, K], -1, 1, 'float32', 2);
  const dy = tf.randomUniform([N, H, W, K], -1, 1, 'float32', 3);
  console.log(`backend ${backend}`);
  time('conv2d forward', () => tf.conv2d(x, w, 1, 'same'));
  time('backprop input', () => tf.conv2dTranspose(dy, w, [N, H, W, C], 1, 'same'));
  time('backprop filter', () =>
    tf.engine().runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      {
        strides: 1,
        pad: 'same',
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        filterShape: [F, F, C, K],
      },
    ),
  );
  tf.dispose([x, w, dy]);
}
