import { join } from 'node:path';
import { type ExperimentConfig, parseConfig, resolveExperiment } from '@qad/cli';

/**
 * The smoke version of an experiment: the same method, backbone family, qualities and evaluation, on the
 * generated FF++-layout benchmark at `benchmarkRoot` (ground-truth face boxes), one epoch, one frame per video,
 * tiny inputs and no pretrained weights — it checks that the configuration runs end to end, not the paper's
 * numbers. ResNets are narrowed (width ×0.125) to keep it fast; EfficientNets run as they are.
 */
export function smokeConfig(config: ExperimentConfig, benchmarkRoot: string, out: string) {
  const resnet = config.model.backbone.startsWith('resnet');
  return resolveExperiment(
    parseConfig({
      ...config,
      data: {
        format: 'ffpp',
        root: benchmarkRoot,
        crops: join(out, 'crops'),
        qualities: config.data.qualities,
        framesPerVideo: 1,
        faces: 'sidecar',
        preResize: null,
      },
      model: {
        backbone: config.model.backbone,
        inputSize: 32,
        ...(resnet ? { widthMultiplier: 0.125 } : {}),
      },
      train: {
        ...config.train,
        epochs: 1,
        batchPerQuality: 4,
        awpWarmupEpochs: 0,
        validationWarmupEpochs: 0,
        validationsPerEpoch: 1,
      },
      eval: { ...config.eval, batchSize: 64 },
      output: join(out, config.name),
      backend: 'auto',
    }),
  );
}
