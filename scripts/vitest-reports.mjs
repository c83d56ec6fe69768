// The vitest JSON reports that every package's and example's `test` task writes (`.vitest-results.json`),
// in a stable order, for test-summary.mjs and slowest-tests.mjs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** `[{ group, name, report }]` for every workspace folder that has a report. */
export function vitestReports() {
  const out = [];
  for (const group of ['packages', 'examples']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const file = join(base, name, '.vitest-results.json');
      if (existsSync(file)) out.push({ group, name, report: JSON.parse(readFileSync(file, 'utf8')) });
    }
  }
  return out;
}
