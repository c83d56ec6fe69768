#!/usr/bin/env node
// Lists every published package's public names (from its built dist/index.d.ts), one `package name kind`
// line each, so that two trees' surfaces can be compared with diff. Run after a build:
//   node scripts/api-surface.mjs > api.txt
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ts = createRequire(join(root, 'package.json'))('typescript');
const out = [];
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  // Every entry point of the exports map: `.` and subpaths such as `@qad/benchmark/synthesis`.
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const types = target?.import?.types;
    const entry = types && join(root, 'packages', dir, types);
    if (entry && existsSync(entry))
      list(subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`, entry);
  }
}
console.log(out.sort().join('\n'));

function list(name, entry) {
  const program = ts.createProgram([entry], { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry));
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const kind = target.flags & ts.SymbolFlags.Value ? 'value' : 'type';
    const deprecated = (target.declarations ?? symbol.declarations ?? []).some((d) =>
      ts.getJSDocTags(d).some((t) => t.tagName.text === 'deprecated'),
    );
    out.push(`${name} ${symbol.name} ${kind}${deprecated ? ' deprecated' : ''}`);
  }
}
