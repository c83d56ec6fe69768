import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Two entries: the generator (`@qad/benchmark`) and its synthesis pieces (`@qad/benchmark/synthesis`).
export default defineConfig({ ...packageBuild, entry: ['src/index.ts', 'src/synthesis.ts'] });
