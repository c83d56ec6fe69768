import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type BackboneName, listBackbones } from '@qad/backbones';
import { QAD_QUALITIES } from '@qad/core';
import { type PresetName, presetFor, resolveMethod, type TrainingHyperParameters } from '@qad/trainer';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Every architecture of `@qad/backbones`' registry: adding one there makes it a valid `model.backbone`. */
const BACKBONES = listBackbones().map((b) => b.name) as [BackboneName, ...BackboneName[]];

const methodName = z.string().refine(
  (m) => {
    try {
      resolveMethod(m);
      return true;
    } catch {
      return false;
    }
  },
  {
    message:
      'unknown method (ce, quality-aware, hsic, soft-label, pairwise, center, awp-xe, awp-kl, qad, or <collaborative>+<awp>)',
  },
);

/** Schema of the `data` section. */
export const DataConfigSchema = z
  .object({
    /** Layout of `root`: a data set's own layout, a generic folder, or an authors'-format JSON index. */
    format: z.enum(['ffpp', 'celebdf', 'ffiw', 'generic', 'index']),
    root: z.string().min(1),
    /** Face-crop cache folder. Default `<output>/crops`. */
    crops: z.string().min(1).optional(),
    qualities: z.array(z.string().min(1)).min(1).default(['raw', 'c23', 'c40']),
    /** FaceForensics++ manipulation methods to include. Default: every method present. */
    methods: z.array(z.string().min(1)).optional(),
    /**
     * Celeb-DF / FFIW10K ship one quality (read as `raw`); other qualities come from transcoded copies laid out
     * the same way: quality → root folder (e.g. `{c23: /data/celebdf-c23, c40: /data/celebdf-c40}`).
     */
    variants: z.record(z.string().min(1), z.string().min(1)).optional(),
    framesPerVideo: z.number().int().positive().default(32),
    /** Face boxes: a detector on the raw video, or the `boxes.json` sidecar of a generated benchmark. */
    faces: z.enum(['detect', 'sidecar']).default('detect'),
    /** Side of the first resize (authors: 128), `null` to resize straight to the input size. */
    preResize: z.number().int().positive().nullable().default(128),
  })
  .strict();

/** Schema of the `model` section. */
export const ModelConfigSchema = z
  .object({
    backbone: z.enum(BACKBONES),
    inputSize: z.number().int().min(32).optional(),
    /** ImageNet or other initial weights: `.safetensors`, Keras `.h5`, or a tfjs `model.json`. */
    weights: z.string().min(1).optional(),
    dropout: z.number().min(0).lt(1).optional(),
    dropConnectRate: z.number().min(0).lt(1).optional(),
    /** ResNet channel multiplier (1 = published; e.g. 0.25 for quick CPU experiments from scratch). */
    widthMultiplier: z.number().gt(0).max(4).optional(),
  })
  .strict();

/** Schema of the `train` section; unset values come from the preset for the backbone. */
export const TrainConfigSchema = z
  .object({
    method: methodName.default('qad'),
    preset: z.enum(['authors', 'paper']).default('authors'),
    /** The collaborative loss's form, overriding the preset's: `authors` (NOCCO), `paper` (biased HSIC), `cka`. */
    collaborative: z.enum(['authors', 'paper', 'cka']).optional(),
    epochs: z.number().int().positive().optional(),
    batchPerQuality: z.number().int().positive().optional(),
    learningRate: z.number().positive().optional(),
    weightDecay: z.number().min(0).optional(),
    alpha: z.number().min(0).optional(),
    gamma: z.number().min(0).optional(),
    awpWarmupEpochs: z.number().int().min(0).optional(),
    validationWarmupEpochs: z.number().int().min(0).optional(),
    validationsPerEpoch: z.number().int().min(0).optional(),
    selectBy: z.enum(['accuracy', 'auc']).default('accuracy'),
    seed: z.number().int().min(0).optional(),
  })
  .strict();

/** Schema of the `eval` section. */
export const EvalConfigSchema = z
  .object({
    /** Qualities to test; `jpeg` is the random-JPEG protocol applied to the raw crops. */
    qualities: z
      .array(z.string().min(1))
      .min(1)
      .default([...QAD_QUALITIES]),
    jpeg: z
      .object({
        min: z.number().int().min(1).max(100),
        max: z.number().int().min(1).max(100),
        seed: z.number().int().min(0),
      })
      .strict()
      .refine((j) => j.min <= j.max, { message: 'jpeg.min must be ≤ jpeg.max' })
      .default({ min: 60, max: 100, seed: 0 }),
    batchSize: z.number().int().positive().default(32),
    /**
     * Decision threshold of the test accuracies: chosen on the validation split to maximise `accuracy`
     * (default) or `balancedAccuracy`, or a fixed P(fake) such as 0.5.
     */
    threshold: z
      .union([z.enum(['accuracy', 'balancedAccuracy']), z.number().min(0).max(1)])
      .default('accuracy'),
  })
  .strict();

/** Schema of a whole experiment configuration file (JSON or YAML). */
export const ExperimentConfigSchema = z
  .object({
    name: z.string().min(1),
    data: DataConfigSchema,
    model: ModelConfigSchema,
    train: TrainConfigSchema.default(TrainConfigSchema.parse({})),
    eval: EvalConfigSchema.default(EvalConfigSchema.parse({})),
    /** Output folder: checkpoints, logs, tables, figures. */
    output: z.string().min(1),
    backend: z.enum(['auto', 'tensorflow', 'onednn', 'wasm', 'cpu']).default('auto'),
  })
  .strict();

/** A parsed configuration file. */
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

/** A configuration with every training value filled in from the preset. */
export interface ResolvedExperiment extends ExperimentConfig {
  hyper: TrainingHyperParameters;
}

function describeIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `  - ${where}: ${issue.message}`;
  });
  return `Invalid configuration in ${source}:\n${lines.join('\n')}`;
}

/** Validates a configuration object; the error lists every problem with its path. */
export function parseConfig(value: unknown, source = 'configuration'): ExperimentConfig {
  const result = ExperimentConfigSchema.safeParse(value);
  if (!result.success) throw new Error(describeIssues(result.error, source));
  return result.data;
}

/** Reads and validates a `.json`, `.yaml` or `.yml` configuration file. */
export function loadConfig(path: string): ExperimentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read configuration '${path}': ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(
      `Configuration '${path}' is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  return parseConfig(expandEnvironment(value, path), path);
}

/**
 * Replaces `${NAME}` in every string of a configuration with the environment variable NAME, so that one file
 * serves every machine (`root: ${FFPP_ROOT}`).
 *
 * @throws naming the file and the variable when it is not set.
 */
export function expandEnvironment(
  value: unknown,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') {
        throw new Error(`Configuration '${source}' uses \${${name}}, which is not set in the environment.`);
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => expandEnvironment(v, source, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnvironment(v, source, env)]));
  }
  return value;
}

/** Fills every training value the file leaves out from the preset of its backbone. */
export function resolveExperiment(config: ExperimentConfig): ResolvedExperiment {
  const preset = presetFor(config.model.backbone, config.train.preset as PresetName);
  const t = config.train;
  const hyper: TrainingHyperParameters = {
    inputSize: config.model.inputSize ?? preset.inputSize,
    batchPerQuality: t.batchPerQuality ?? preset.batchPerQuality,
    epochs: t.epochs ?? preset.epochs,
    learningRate: t.learningRate ?? preset.learningRate,
    weightDecay: t.weightDecay ?? preset.weightDecay,
    alpha: t.alpha ?? preset.alpha,
    gamma: t.gamma ?? preset.gamma,
    awpWarmupEpochs: t.awpWarmupEpochs ?? preset.awpWarmupEpochs,
    validationWarmupEpochs: t.validationWarmupEpochs ?? preset.validationWarmupEpochs,
    validationsPerEpoch: t.validationsPerEpoch ?? preset.validationsPerEpoch,
    seed: t.seed ?? preset.seed,
    hsicPreset: t.collaborative ?? preset.hsicPreset,
  };
  return { ...config, hyper };
}
