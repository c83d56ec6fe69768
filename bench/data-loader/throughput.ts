/**
 * Throughput of @qad/data-jpeg-aug's paired loader: decode + resize + normalise + batch of generated face-crop
 * stand-ins (PNG for raw, JPEG for the compressed qualities), in images per second. Not a test: the numbers
 * depend on the machine. See README.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { PairedSplit } from '../../packages/core/src/paired_index';
import { Rng } from '../../packages/core/src/random';
import { decodeImage, saveJpeg, savePng } from '../../packages/data-jpeg-aug/src/image/index';
import { PairedLoader } from '../../packages/data-jpeg-aug/src/loader/index';
import type { RgbImage } from '../../packages/data-jpeg-aug/src/types';

const { values: args } = parseArgs({
  // `pnpm --filter @qad/bench <script> -- --opt …` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    samples: { type: 'string', default: '96' },
    side: { type: 'string', default: '256' },
    batch: { type: 'string', default: '16' },
    batches: { type: 'string', default: '12' },
    prefetch: { type: 'string', default: '2' },
  },
});
const samples = Number(args.samples);
const side = Number(args.side);
const batchSize = Number(args.batch);
const timedBatches = Number(args.batches);
const prefetch = Number(args.prefetch);
/** What the trainer consumes: ResNet-18 at 112 px on the wasm backend (bench/train-step). */
const TRAINER_IMAGES_PER_SECOND = 5;

// sharp is the package's dependency, not the bench's: load the same instance the package uses.
const sharp = createRequire(new URL('../../packages/data-jpeg-aug/package.json', import.meta.url))(
  'sharp',
) as { cache(enabled: boolean): unknown; versions: Record<string, string | undefined> };
// libvips' operation cache would serve repeated epochs from memory; time real decoding.
sharp.cache(false);
await tf.setBackend('cpu');
tf.tensor1d([0]).dispose(); // prints tfjs' one-time Node banner now rather than inside the results table

/** A smooth face-crop stand-in: gradient, low-frequency waves and soft blobs. */
function syntheticCrop(seed: number): RgbImage {
  const rng = new Rng(seed);
  const data = new Uint8Array(side * side * 3);
  const waves = Array.from({ length: 9 }, () => [
    rng.uniform(0.5, 4),
    rng.uniform(0.5, 4),
    rng.uniform(0, 6.3),
    rng.uniform(5, 15),
  ]);
  const blobs = Array.from({ length: 5 }, () => [
    rng.uniform(0.2, 0.8),
    rng.uniform(0.2, 0.8),
    rng.uniform(0.08, 0.25),
    rng.uniform(-70, 70),
  ]);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 120 + 50 * (x / side - 0.5) + 20 * c * (y / side - 0.5) + rng.uniform(-3, 3);
        for (let k = c * 3; k < c * 3 + 3; k++) {
          const [fx, fy, ph, a] = waves[k] as number[];
          v += a! * Math.sin((2 * Math.PI * (fx! * x + fy! * y)) / side + ph!);
        }
        for (const [cx, cy, r, a] of blobs)
          v += a! * Math.exp(-((x / side - cx!) ** 2 + (y / side - cy!) ** 2) / r! ** 2);
        data[(y * side + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, width: side, height: side };
}

const dir = await mkdtemp(join(tmpdir(), 'qad-data-loader-bench-'));
try {
  const frames: Record<string, string[]> = { raw: [], c23: [], c40: [] };
  for (let i = 0; i < samples; i++) {
    const crop = syntheticCrop(i);
    await savePng(join(dir, `raw_${i}.png`), crop);
    await saveJpeg(join(dir, `c23_${i}.jpg`), crop, 85);
    await saveJpeg(join(dir, `c40_${i}.jpg`), crop, 50);
    frames.raw!.push(join(dir, `raw_${i}.png`));
    frames.c23!.push(join(dir, `c23_${i}.jpg`));
    frames.c40!.push(join(dir, `c40_${i}.jpg`));
  }
  const split = {
    frames,
    labels: Array.from({ length: samples }, (_, i) => (i % 2) as 0 | 1),
    videos: Array.from({ length: samples }, (_, i) => `v${i}`),
  } as unknown as PairedSplit;

  console.log(
    `Node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), ${cpus().length} CPUs (${cpus()[0]?.model}), ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    `${samples} samples × 3 qualities of ${side}×${side} crops (raw PNG, c23 JPEG q85, c40 JPEG q50)\n`,
  );

  // Decode alone, per format, all files at once (sharp queues them on the libuv pool).
  for (const quality of ['raw', 'c23', 'c40']) {
    const list = frames[quality]!;
    const start = performance.now();
    await Promise.all(list.map((p) => decodeImage(p)));
    const seconds = (performance.now() - start) / 1000;
    console.log(`decode only, ${quality.padEnd(3)}: ${(list.length / seconds).toFixed(0).padStart(6)} img/s`);
  }

  console.log('\n| input | pre-resize | M×B | img/s | × trainer (5 img/s) |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const [inputSize, preResize] of [
    [128, 128],
    [112, 128],
    [224, 128],
  ] as const) {
    const loader = new PairedLoader(split, {
      qualities: ['raw', 'c23', 'c40'],
      batchSize,
      inputSize,
      preResize,
      prefetch,
      seed: 1,
    });
    for (let i = 0; i < 2; i++) (await loader.next()).dispose(); // warm-up
    const start = performance.now();
    let images = 0;
    for (let i = 0; i < timedBatches; i++) {
      const batch = await loader.next();
      images += batch.images.shape[0];
      batch.dispose();
    }
    const rate = images / ((performance.now() - start) / 1000);
    loader.close();
    console.log(
      `| ${inputSize} | ${preResize} | 3×${batchSize} | ${rate.toFixed(0)} | ${(rate / TRAINER_IMAGES_PER_SECOND).toFixed(0)}× |`,
    );
  }
  console.log(`\ntensors left: ${tf.memory().numTensors}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
