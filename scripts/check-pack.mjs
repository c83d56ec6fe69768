#!/usr/bin/env node
// Packs every published package and checks what a user would download: only dist/, README.md, LICENSE and
// package.json, no unresolved workspace: ranges, and a publish dry run that succeeds. Run after a build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const allowed = [
  /^package\/package\.json$/,
  /^package\/README\.md$/,
  /^package\/LICENSE$/,
  /^package\/dist\/.+/,
  // @qad/backend-onednn ships its addon's sources: users build it against their own libdnnl.
  /^package\/native\/(binding\.gyp|[a-z0-9_]+\.(cc|h))$/,
  /^package\/scripts\/(ensure-addon|self-test)\.mjs$/,
];
const problems = [];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

const packagesDir = join(root, 'packages');
const out = mkdtempSync(join(tmpdir(), 'qad-pack-'));
try {
  for (const name of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    run('pnpm', ['pack', '--pack-destination', out], dir);
    const tarball = readdirSync(out).find((f) =>
      f.startsWith(manifest.name.replace('@', '').replace('/', '-')),
    );
    const entries = run('tar', ['-tzf', join(out, tarball)], dir)
      .split('\n')
      .filter(Boolean);
    const extra = entries.filter((e) => !allowed.some((re) => re.test(e)));
    for (const required of ['package/package.json', 'package/README.md', 'package/LICENSE']) {
      if (!entries.includes(required)) problems.push(`${manifest.name}: tarball lacks ${required}`);
    }
    if (!entries.some((e) => e.startsWith('package/dist/')))
      problems.push(`${manifest.name}: tarball has no dist/`);
    if (extra.length > 0) problems.push(`${manifest.name}: unexpected files in tarball: ${extra.join(', ')}`);
    const packed = run('tar', ['-xzOf', join(out, tarball), 'package/package.json'], dir);
    if (packed.includes('workspace:'))
      problems.push(`${manifest.name}: packed package.json keeps a workspace: range`);
    run('pnpm', ['publish', '--dry-run', '--no-git-checks'], dir);
    console.log(`ok  ${manifest.name}@${manifest.version}  ${entries.length} files, publish dry run passed`);
    rmSync(join(out, tarball));
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`Release check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
