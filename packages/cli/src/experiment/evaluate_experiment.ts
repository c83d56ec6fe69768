import { join } from 'node:path';
import { selectBackend } from '@qad/backend';
import { loadCheckpoint, resolveMethod } from '@qad/trainer';
import type { ResolvedExperiment } from '../config';
import { preparePairedIndex } from './prepare_data';
import { buildBackbone, type ExperimentResult, testAndWrite } from './run_experiment';

/**
 * Tests a trained configuration's checkpoint (default `<output>/checkpoints/<method>/best`) on the test split,
 * per quality, and writes the same tables and figures as training does.
 */
export async function evaluateExperiment(
  config: ResolvedExperiment,
  options: { checkpoint?: string; log?: (line: string) => void } = {},
): Promise<Omit<ExperimentResult, 'training'>> {
  const log = options.log ?? (() => {});
  const backend = await selectBackend(config.backend);
  log(`backend: ${backend.backend} (${backend.reason})`);
  const method = resolveMethod(config.train.method);
  if (method.perQuality)
    throw new Error("'qad eval' tests one model; a quality-aware run is tested by 'qad train' itself.");
  const index = await preparePairedIndex(config, log);
  const dir = options.checkpoint ?? join(config.output, 'checkpoints', method.name, 'best');
  const net = await buildBackbone({ ...config, model: { ...config.model, weights: undefined } });
  try {
    const state = await loadCheckpoint(dir, net, null);
    log(`checkpoint ${dir}: step ${state.step}`);
    return await testAndWrite(config, method.name, net, index);
  } finally {
    net.dispose();
  }
}
