#!/usr/bin/env node
// Markdown diff of two `scripts/api-surface.mjs` listings, per package: what moved (and where), what is still
// exported but deprecated, what was removed and what was added.
//   node scripts/api-diff.mjs before.txt after.txt > diff.md
import { readFileSync } from 'node:fs';

function load(path) {
  const packages = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [pkg, name, , flag] = line.split(' ');
    if (!name) continue;
    if (!packages.has(pkg)) packages.set(pkg, new Map());
    packages.get(pkg).set(name, flag === 'deprecated');
  }
  return packages;
}

const [before, after] = process.argv.slice(2).map(load);
if (!before || !after) {
  console.error('usage: api-diff.mjs before.txt after.txt');
  process.exit(2);
}
const homes = new Map();
for (const [pkg, names] of after) {
  for (const [name, deprecated] of names) {
    if (!deprecated) homes.set(name, [...(homes.get(name) ?? []), pkg]);
  }
}
const code = (x) => `\`${x}\``;
// Deprecated aliases whose replacement has another name: the listing cannot know it from the names alone.
const RENAMED = new Map([
  ['writeFileAtomic', 'atomicWrite'],
  ['ADAM_UPDATE_KERNEL', 'QadAdamUpdate'],
]);
const lines = [];
for (const pkg of [...new Set([...before.keys(), ...after.keys()])].sort()) {
  const o = before.get(pkg) ?? new Map();
  const n = after.get(pkg) ?? new Map();
  lines.push(`## ${code(pkg)} (${o.size} → ${n.size} names)`, '');
  if (o.size === 0) lines.push('New entry point.', '');
  const moved = new Map();
  const removed = [];
  for (const name of [...o.keys()].filter((x) => !n.has(x)).sort()) {
    const to = (homes.get(name) ?? []).filter((p) => p !== pkg);
    if (to.length === 0) removed.push(name);
    else moved.set(to.join(', '), [...(moved.get(to.join(', ')) ?? []), name]);
  }
  for (const [to, names] of [...moved].sort()) {
    lines.push(`- moved to ${to.split(', ').map(code).join(', ')}: ${names.map(code).join(', ')}`);
  }
  const deprecated = [...o.keys()].filter((x) => n.get(x) === true && !o.get(x)).sort();
  if (deprecated.length > 0) {
    const where = (x) => {
      const target = RENAMED.get(x) ?? x;
      const to = (homes.get(target) ?? [])
        .filter((p) => p !== pkg)
        .map(code)
        .join(', ');
      return target === x ? to : `${to} as ${code(target)}`;
    };
    lines.push(
      `- still exported, deprecated for one minor release: ${deprecated.map((x) => `${code(x)} (→ ${where(x)})`).join(', ')}`,
    );
  }
  if (removed.length > 0) lines.push(`- removed from the public surface: ${removed.map(code).join(', ')}`);
  const added = [...n.keys()].filter((x) => !o.has(x)).sort();
  if (added.length > 0) lines.push(`- ${o.size === 0 ? 'exports' : 'added'}: ${added.map(code).join(', ')}`);
  if (moved.size + deprecated.length + removed.length + added.length === 0) lines.push('- unchanged');
  lines.push('');
}
console.log(lines.join('\n'));
