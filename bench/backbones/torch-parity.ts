/**
 * Cross-framework parity: torchvision ResNet-18/50 and EfficientNet-B0 with random weights (eval mode) are
 * exported by export_torch.py to safetensors with a fixed input and torchvision's logits, loaded into
 * @qad/backbones, and the logits compared. Skips (exit 0) when /usr/bin/python3 cannot import torch and
 * torchvision. Usage: `npx tsx bench/backbones/torch-parity.ts [cpu|wasm]` (default cpu).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  type BackboneName,
  createBackbone,
  loadSafetensorsWeights,
  readSafetensors,
} from '../../packages/backbones/src';
import { selectBackend } from '../../packages/backend/src';

const PYTHON = '/usr/bin/python3';
const MODELS: BackboneName[] = ['resnet18', 'resnet50', 'efficientnet_b0'];
const TOLERANCE = 1e-4;

const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(
    `skip: ${PYTHON} cannot import torch and torchvision (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()})`,
  );
  process.exit(0);
}

const backend = (process.argv[2] ?? 'cpu') as 'cpu' | 'wasm';
await selectBackend(backend);
const out = mkdtempSync(join(tmpdir(), 'qad-torch-parity-'));
try {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'export_torch.py');
  const run = spawnSync(PYTHON, [script, out, ...MODELS], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0) throw new Error(`export_torch.py failed (${run.status}): ${run.stderr}`);
  process.stdout.write(run.stdout);
  let failed = false;
  for (const name of MODELS) {
    const io = await readSafetensors(join(out, `${name}.io.safetensors`));
    const input = io.tensors.input!;
    const expected = io.tensors.logits!.values as Float32Array;
    const net = createBackbone(name, { numClasses: expected.length, inputSize: input.shape[2]! });
    const report = await loadSafetensorsWeights(net, join(out, `${name}.safetensors`));
    const t0 = performance.now();
    const logits = tf.tidy(() => {
      const x = tf.transpose(
        tf.tensor(input.values as Float32Array, input.shape),
        [0, 2, 3, 1],
      ) as tf.Tensor4D;
      const { logits: l, features } = net.forward(x);
      tf.dispose(Object.values(features));
      return l;
    });
    const actual = (await logits.data()) as Float32Array;
    const ms = performance.now() - t0;
    logits.dispose();
    let maxAbs = 0;
    let refMax = 0;
    for (let i = 0; i < expected.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(actual[i]! - expected[i]!));
      refMax = Math.max(refMax, Math.abs(expected[i]!));
    }
    const rel = maxAbs / refMax;
    const ok = rel <= TOLERANCE;
    failed ||= !ok;
    console.log(
      `${name.padEnd(16)} ${report.loaded.length} tensors loaded, ${report.skipped.length} skipped | ` +
        `max |Δlogit| ${maxAbs.toExponential(2)}, max |logit| ${refMax.toFixed(3)}, relative ${rel.toExponential(2)} ` +
        `${ok ? '≤' : '>'} ${TOLERANCE} ${ok ? 'OK' : 'FAIL'} | forward ${ms.toFixed(0)} ms on ${tf.getBackend()}`,
    );
    net.dispose();
  }
  if (failed) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
