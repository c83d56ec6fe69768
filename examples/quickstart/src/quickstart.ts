import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeBenchmark } from '@qad/benchmark';
import { evaluationMarkdown, parseConfig, resolveExperiment, runExperiment } from '@qad/cli';
import type { Evaluation, StepEvent } from '@qad/trainer';

/** Options of {@link runQuickstart}. */
export interface QuickstartOptions {
  /** Working folder: the benchmark, face crops, and one output folder per method. */
  out: string;
  seed: number;
  epochs: number;
  /** Face crops per video (the benchmark's videos have 16 frames). */
  framesPerVideo: number;
  /** Artefact strength of the generated fakes, in [0, 2]. */
  strength: number;
  /** Identity pairs per split of the generated benchmark (each pair: 2 real and 4 fake videos). */
  pairs: { train: number; val: number; test: number };
  /** Square network input in pixels. */
  inputSize: number;
  methods: readonly string[];
  log: (line: string) => void;
  onStep?: (event: StepEvent, model: string) => void;
}

/** What {@link runQuickstart} returns. */
export interface QuickstartResult {
  evaluations: Record<string, Evaluation>;
  /** AUC and accuracy tables, rows = methods, columns = test qualities. */
  markdown: string;
  seconds: Record<string, number>;
}

/**
 * The README's main job: generates the small FF++-layout benchmark (once), then trains each method on it with a
 * narrow ResNet-18 at 64 px (the paper's recipe, scaled down to run in minutes on two CPU cores) and tests it per
 * quality: raw, c23, c40 and random JPEG.
 */
export async function runQuickstart(options: QuickstartOptions): Promise<QuickstartResult> {
  const { out, log } = options;
  const benchmark = join(out, 'benchmark');
  if (!existsSync(join(benchmark, 'benchmark.json'))) {
    log(
      `generating the benchmark (${options.pairs.train}/${options.pairs.val}/${options.pairs.test} identity pairs) in ${benchmark} …`,
    );
    await makeBenchmark({
      outDir: benchmark,
      size: options.pairs,
      frames: 16,
      resolution: 96,
      seed: options.seed,
      strength: options.strength,
    });
  }
  const evaluations: Record<string, Evaluation> = {};
  const seconds: Record<string, number> = {};
  for (const method of options.methods) {
    const config = resolveExperiment(
      parseConfig({
        name: `quickstart-${method}`,
        data: {
          format: 'ffpp',
          root: benchmark,
          faces: 'sidecar',
          framesPerVideo: options.framesPerVideo,
          crops: join(out, 'crops'),
          preResize: null,
        },
        model: { backbone: 'resnet18', inputSize: options.inputSize, widthMultiplier: 0.25 },
        train: {
          method,
          epochs: options.epochs,
          batchPerQuality: 8,
          learningRate: 2e-3,
          awpWarmupEpochs: 1,
          validationWarmupEpochs: 0,
          validationsPerEpoch: 1,
          // Validation accuracy at 0.5 ties at the majority class early in training: select by AUC; the test
          // threshold is then chosen on validation too (runExperiment).
          selectBy: 'auc',
          seed: options.seed,
        },
        eval: { qualities: ['raw', 'c23', 'c40', 'jpeg'], batchSize: 64 },
        output: join(out, method),
        backend: 'auto',
      }),
    );
    const started = Date.now();
    const result = await runExperiment(config, { log, onStep: options.onStep });
    seconds[method] = (Date.now() - started) / 1000;
    evaluations[method] = result.evaluation;
    log(`${method}: trained and tested in ${seconds[method].toFixed(0)} s`);
  }
  return {
    evaluations,
    markdown: evaluationMarkdown(evaluations, ['auc', 'accuracy', 'balancedAccuracy']),
    seconds,
  };
}
