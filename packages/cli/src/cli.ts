#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDetector } from '@qad/backbones';
import { type BackendRequest, selectBackend } from '@qad/backend';
import { BENCHMARK_SIZES, type BenchmarkSize, makeBenchmark } from '@qad/benchmark';
import { createFaceApiDetector } from '@qad/data-prep';
import type { StepEvent } from '@qad/trainer';
import { measureThroughput } from '@qad/trainer';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig, resolveExperiment } from './config';
import { type DetectorInput, detectFakes } from './detect';
import { evaluateExperiment } from './experiment/evaluate_experiment';
import { runExperiment } from './experiment/run_experiment';

const log = (line: string) => process.stderr.write(`${line}\n`);

function int(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
    return n;
  };
}

const backendOption = () =>
  new Option(
    '--backend <name>',
    'tfjs backend: auto (tfjs-node-gpu → tfjs-node → onednn → wasm → cpu), tensorflow, onednn, wasm, cpu',
  ).choices(['auto', 'tensorflow', 'onednn', 'wasm', 'cpu']);

/** Progress bar on a terminal, a line every 5 % otherwise. */
function stepReporter() {
  let bar: SingleBar | null = null;
  let current = '';
  let lastLine = -1;
  return {
    onStep(e: StepEvent, model: string) {
      const payload = {
        model,
        loss: e.loss.toFixed(4),
        lr: e.learningRate.toExponential(2),
        ips: e.imagesPerSecond.toFixed(1),
        awp: e.awp ? 'on' : 'off',
      };
      if (process.stderr.isTTY) {
        if (bar === null || current !== model) {
          bar?.stop();
          current = model;
          bar = new SingleBar({
            stream: process.stderr,
            format:
              '{model} |{bar}| {value}/{total} steps | ETA {eta_formatted} | loss {loss} | lr {lr} | {ips} img/s | AWP {awp}',
            etaBuffer: 20,
          });
          bar.start(e.totalSteps, e.step, payload);
        }
        bar.update(e.step + 1, payload);
        if (e.step + 1 === e.totalSteps) {
          bar.stop();
          bar = null;
        }
        return;
      }
      const tick = Math.floor(((e.step + 1) * 20) / e.totalSteps);
      if (tick !== lastLine || e.step + 1 === e.totalSteps) {
        lastLine = tick;
        log(
          `${model} step ${e.step + 1}/${e.totalSteps} epoch ${e.epoch} loss ${payload.loss} (ce ${e.crossEntropy.toFixed(4)}, col ${e.collaborative.toFixed(4)}) lr ${payload.lr} ${payload.ips} img/s AWP ${payload.awp}`,
        );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** What `qad train --smoke` overrides: the smallest run that still goes through every stage. */
const SMOKE = {
  inputSize: 32,
  train: {
    epochs: 1,
    batchPerQuality: 2,
    awpWarmupEpochs: 0,
    validationWarmupEpochs: 0,
    validationsPerEpoch: 1,
  },
} as const;

export function buildProgram(): Command {
  const program = new Command('qad')
    .description('QAD — quality-agnostic deepfake detection (HSIC + AWP) for TensorFlow.js')
    .showHelpAfterError();

  program
    .command('train')
    .description(
      'train a detector from a config file, then test it per quality and write tables, figures and the detector',
    )
    .requiredOption('-c, --config <file>', 'experiment configuration (JSON or YAML)')
    .option('--resume', 'continue from the last checkpoint of an interrupted run')
    .option('--output <dir>', 'override the configuration’s output folder')
    .option('--epochs <n>', 'override the number of epochs', int('--epochs'))
    .option(
      '--smoke',
      'check that the configuration runs end to end: one epoch at 32 px, 2 images per quality block, no warm-ups (on the data set the configuration names)',
    )
    .addOption(backendOption())
    .action(
      async (opts: {
        config: string;
        resume?: boolean;
        output?: string;
        epochs?: number;
        smoke?: boolean;
        backend?: BackendRequest;
      }) => {
        const config = loadConfig(opts.config);
        const train = { ...config.train, ...(opts.smoke ? SMOKE.train : {}) };
        const resolved = resolveExperiment({
          ...config,
          output: opts.output ?? config.output,
          backend: opts.backend ?? config.backend,
          model: opts.smoke ? { ...config.model, inputSize: SMOKE.inputSize } : config.model,
          train: { ...train, epochs: opts.epochs ?? train.epochs },
        });
        const reporter = stepReporter();
        try {
          const result = await runExperiment(resolved, {
            log,
            resume: opts.resume,
            onStep: reporter.onStep,
            onValidation: (e, model) =>
              log(
                `${model} validation at step ${e.step}: ${resolved.train.selectBy} ${e.value.toFixed(4)}${e.improved ? ' (best)' : ''}`,
              ),
          });
          reporter.stop();
          process.stdout.write(`${await readFile(join(resolved.output, 'results.md'), 'utf8')}\n`);
          log(`wrote ${result.files.length} files to ${resolved.output}`);
        } finally {
          reporter.stop();
        }
      },
    );

  program
    .command('eval')
    .description('test the best checkpoint of a trained configuration per quality (tables, ROC, t-SNE)')
    .requiredOption('-c, --config <file>', 'experiment configuration (JSON or YAML)')
    .option('--checkpoint <dir>', 'checkpoint folder (default: <output>/checkpoints/<method>/best)')
    .option('--output <dir>', 'override the configuration’s output folder')
    .addOption(backendOption())
    .action(
      async (opts: { config: string; checkpoint?: string; output?: string; backend?: BackendRequest }) => {
        const config = loadConfig(opts.config);
        const resolved = resolveExperiment({
          ...config,
          output: opts.output ?? config.output,
          backend: opts.backend ?? config.backend,
        });
        const result = await evaluateExperiment(resolved, { checkpoint: opts.checkpoint, log });
        process.stdout.write(`${await readFile(join(resolved.output, 'results.md'), 'utf8')}\n`);
        log(`wrote ${result.files.length} files to ${resolved.output}`);
      },
    );

  program
    .command('detect')
    .description('fake probability per face and per video for images, videos or folders')
    .argument('<paths...>', 'image, video or folder paths')
    .requiredOption('-d, --detector <dir>', 'a detector saved by qad train (<output>/detector)')
    .option('--no-faces', 'classify whole images (already-cropped faces) instead of detecting faces')
    .option('--frames <n>', 'frames sampled per video', int('--frames'), 32)
    .option('--json', 'print one JSON object per file instead of a table')
    .addOption(backendOption().default('auto'))
    .action(
      async (
        paths: string[],
        opts: { detector: string; faces: boolean; frames: number; json?: boolean; backend: BackendRequest },
      ) => {
        await selectBackend(opts.backend);
        const meta = JSON.parse(
          await readFile(join(opts.detector, 'detector.json'), 'utf8').catch(() => {
            throw new Error(
              `'${opts.detector}' has no detector.json; pass the detector folder written by qad train.`,
            );
          }),
        ) as DetectorInput;
        const model = await loadDetector(opts.detector);
        const faceDetector = opts.faces ? await createFaceApiDetector() : undefined;
        if (!opts.json)
          process.stdout.write('| file | kind | faces | P(fake) |\n| --- | --- | ---: | ---: |\n');
        await detectFakes(model, paths, {
          inputSize: meta.inputSize,
          preResize: meta.preResize,
          faceDetector,
          framesPerVideo: opts.frames,
          onFile: (r) => {
            process.stdout.write(
              opts.json
                ? `${JSON.stringify(r)}\n`
                : `| ${r.path} | ${r.kind} | ${r.faces.length} | ${r.score === null ? 'no face' : r.score.toFixed(4)} |\n`,
            );
          },
        });
      },
    );

  program
    .command('make-benchmark')
    .description(
      'generate an FF++-layout benchmark (raw/c23/c40 videos, two fake methods, splits, face boxes)',
    )
    .requiredOption('-o, --out <dir>', 'output folder (empty or absent)')
    .addOption(
      new Option('--size <size>', 'named size').choices(Object.keys(BENCHMARK_SIZES)).default('small'),
    )
    .option('--seed <n>', 'seed', int('--seed'), 0)
    .option('--strength <s>', 'artefact strength in [0, 2]', (v) => {
      const s = Number(v);
      if (!(s >= 0 && s <= 2)) throw new InvalidArgumentError('--strength must be in [0, 2].');
      return s;
    })
    .option('--frames <n>', 'frames per video', int('--frames'))
    .option('--resolution <px>', 'frame side in pixels (even)', int('--resolution'))
    .option('--sources <paths...>', 'images or videos to use as backgrounds')
    .option('--overwrite', 'replace benchmark files already in the folder')
    .action(
      async (opts: {
        out: string;
        size: BenchmarkSize;
        seed: number;
        strength?: number;
        frames?: number;
        resolution?: number;
        sources?: string[];
        overwrite?: boolean;
      }) => {
        let last = 0;
        const result = await makeBenchmark({
          outDir: opts.out,
          size: opts.size,
          seed: opts.seed,
          strength: opts.strength,
          frames: opts.frames,
          resolution: opts.resolution,
          sources: opts.sources,
          overwrite: opts.overwrite,
          onProgress: (p) => {
            const now = Date.now();
            if (now - last > 1000 || p.done === p.total) {
              last = now;
              log(`make-benchmark: ${p.done}/${p.total} files`);
            }
          },
        });
        log(
          `make-benchmark: wrote ${result.files} videos (${result.methods.join(', ')}; ${result.qualities.join('/')}; ` +
            `${result.frames} frames of ${result.width}×${result.height}) to ${result.outDir}`,
        );
      },
    );

  program
    .command('bench')
    .description('training and inference images/s of a backbone on this machine’s backend')
    .option('--model <name>', 'backbone', 'resnet18')
    .option('--size <px>', 'input size', int('--size'), 112)
    .option('--batch <n>', 'images per quality block (M = 3 blocks)', int('--batch'), 4)
    .option('--steps <n>', 'timed steps', int('--steps'), 3)
    .option('--method <name>', 'training method', 'qad')
    .addOption(backendOption().default('auto'))
    .action(
      async (opts: {
        model: string;
        size: number;
        batch: number;
        steps: number;
        method: string;
        backend: BackendRequest;
      }) => {
        const selection = await selectBackend(opts.backend);
        log(`backend: ${selection.backend} (${selection.reason})`);
        const r = await measureThroughput({ ...opts, qualities: 3 });
        process.stdout.write(
          `${opts.model} @${opts.size}, ${opts.method}, M·B = 3×${opts.batch}: training ${r.trainImagesPerSecond.toFixed(2)} img/s, ` +
            `inference ${r.inferenceImagesPerSecond.toFixed(2)} img/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB\n`,
        );
      },
    );
  return program;
}

const isMain = process.argv[1] !== undefined && /cli\.(c?js|ts)$/.test(process.argv[1]);
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      log(`qad: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
