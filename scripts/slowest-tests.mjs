#!/usr/bin/env node
// Lists the slowest tests of the last `pnpm test` (from the vitest JSON reports every package's `test` task
// writes), slowest first: `node scripts/slowest-tests.mjs [N]` (default 10).
import { relative } from 'node:path';
import { root, vitestReports } from './vitest-reports.mjs';

const limit = Number(process.argv[2] ?? 10);
const tests = [];
for (const { report } of vitestReports()) {
  for (const suite of report.testResults) {
    for (const t of suite.assertionResults) {
      tests.push({ ms: t.duration ?? 0, file: relative(root, suite.name), title: t.fullName ?? t.title });
    }
  }
}
tests.sort((a, b) => b.ms - a.ms);
for (const t of tests.slice(0, limit))
  console.log(`${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.file}  ${t.title}`);
