#!/usr/bin/env node
// Builds the oneDNN addon when it is missing, so `pnpm test` works after `apt-get install -y libdnnl-dev`
// alone; without libdnnl's headers it stops with the one-line fix instead of a compiler error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = new URL('..', import.meta.url).pathname;
const addon = join(packageDir, 'native', 'build', 'Release', 'onednn_addon.node');
if (existsSync(addon)) process.exit(0);
const headers = ['/usr/include/dnnl.h', '/usr/include/oneapi/dnnl/dnnl.h'];
if (!headers.some((h) => existsSync(h))) {
  console.error(
    `@qad/backend-onednn: the addon is not built and libdnnl's headers are missing (${headers.join(', ')}).\n` +
      'Install oneDNN and build it: apt-get install -y libdnnl-dev && pnpm --filter @qad/backend-onednn build:native',
  );
  process.exit(1);
}
console.error('@qad/backend-onednn: building the oneDNN addon (node-gyp) …');
const run = spawnSync('node-gyp', ['rebuild', '--directory', 'native'], {
  cwd: packageDir,
  stdio: 'inherit',
  shell: false,
});
process.exit(run.status ?? 1);
