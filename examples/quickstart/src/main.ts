import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { runQuickstart } from './quickstart';

const { values } = parseArgs({
  // `pnpm quickstart -- --epochs 2` hands the script a literal '--' before the options.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    out: { type: 'string', default: join(tmpdir(), 'qad-quickstart') },
    epochs: { type: 'string', default: '5' },
    frames: { type: 'string', default: '4' },
    seed: { type: 'string', default: '41' },
    strength: { type: 'string', default: '0.5' },
    pairs: { type: 'string', default: '40,8,12' },
    size: { type: 'string', default: '64' },
    methods: { type: 'string', default: 'ce,qad' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'Usage: pnpm quickstart [-- --epochs 5] [--frames 4] [--seed 41] [--strength 0.5] [--pairs 40,8,12] [--size 64] [--methods ce,qad] [--out DIR]',
  );
  process.exit(0);
}
const integer = (name: string, text: string | undefined, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got '${text}'.`);
  return n;
};
const strength = Number(values.strength);
if (!(strength >= 0 && strength <= 2))
  throw new Error(`--strength must be in [0, 2], got '${values.strength}'.`);

const [train, val, test] = (values.pairs ?? '').split(',').map((p) => integer('pairs', p, 1));
if (test === undefined)
  throw new Error(`--pairs must be train,val,test identity pairs, got '${values.pairs}'.`);

let lastLine = 0;
const result = await runQuickstart({
  out: values.out!,
  epochs: integer('epochs', values.epochs, 1),
  framesPerVideo: integer('frames', values.frames, 1),
  seed: integer('seed', values.seed, 0),
  strength,
  pairs: { train: train!, val: val!, test },
  inputSize: integer('size', values.size, 32),
  methods: values.methods!.split(','),
  log: (line) => console.log(line),
  onStep: (e, model) => {
    if (Date.now() - lastLine > 5000 || e.step + 1 === e.totalSteps) {
      lastLine = Date.now();
      console.log(
        `  ${model} step ${e.step + 1}/${e.totalSteps}  loss ${e.loss.toFixed(4)}  ${e.imagesPerSecond.toFixed(1)} img/s  AWP ${e.awp ? 'on' : 'off'}`,
      );
    }
  },
});
console.log(`\nTest split of the generated benchmark (frame level):\n\n${result.markdown}`);
console.log(`Tensors alive at exit: ${tf.memory().numTensors}`);
