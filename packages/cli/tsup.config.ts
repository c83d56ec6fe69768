import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The qad command-line tool is a second entry; shims give it import.meta.url in the CommonJS build.
export default defineConfig({ ...packageBuild, entry: ['src/index.ts', 'src/cli.ts'], shims: true });
