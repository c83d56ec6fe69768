#!/usr/bin/env node
// Builds the oneDNN addon when it is missing or older than its sources, so `pnpm test` works after
// `apt-get install -y libdnnl-dev` alone and never tests a stale build; without libdnnl's headers it stops
// with the one-line fix instead of a compiler error.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = new URL('..', import.meta.url).pathname;
const nativeDir = join(packageDir, 'native');
const addon = join(nativeDir, 'build', 'Release', 'onednn_addon.node');
const sources = readdirSync(nativeDir).filter((f) => /\.(cc|h|gyp)$/.test(f));
const newestSource = Math.max(...sources.map((f) => statSync(join(nativeDir, f)).mtimeMs));
if (existsSync(addon) && statSync(addon).mtimeMs >= newestSource) process.exit(0);
const headers = ['/usr/include/dnnl.h', '/usr/include/oneapi/dnnl/dnnl.h'];
// `--if-possible` (the package's build step): without libdnnl the addon is optional, so say so and succeed.
if (process.argv.includes('--if-possible') && !headers.some((h) => existsSync(h))) {
  console.error(
    '@qad/backend-onednn: libdnnl-dev is not installed, so the native addon is not built (the onednn backend ' +
      'stays unavailable; everything else works). To enable it: apt-get install -y libdnnl-dev && ' +
      'pnpm --filter @qad/backend-onednn build:native',
  );
  process.exit(0);
}
if (!headers.some((h) => existsSync(h))) {
  console.error(
    `@qad/backend-onednn: the addon is not built and libdnnl's headers are missing (${headers.join(', ')}).\n` +
      'Install oneDNN and build it: apt-get install -y libdnnl-dev && pnpm --filter @qad/backend-onednn build:native',
  );
  process.exit(1);
}
console.error(
  `@qad/backend-onednn: ${existsSync(addon) ? 'rebuilding the oneDNN addon (sources changed)' : 'building the oneDNN addon'} (node-gyp) …`,
);
// The package's own node-gyp (a devDependency) when present, so the script also works outside `pnpm run`.
const localGyp = join(packageDir, 'node_modules', '.bin', 'node-gyp');
// Node's headers: npm/pnpm pass their `nodedir` setting on; run directly, use the system's headers when
// present rather than letting node-gyp download them.
const nodedir =
  process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
const gypArgs = ['rebuild', '--directory', 'native', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const run = spawnSync(existsSync(localGyp) ? localGyp : 'node-gyp', gypArgs, {
  cwd: packageDir,
  stdio: 'inherit',
  shell: false,
});
if (run.error) console.error(`@qad/backend-onednn: could not run node-gyp: ${run.error.message}`);
process.exit(run.status ?? 1);
