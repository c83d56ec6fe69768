#!/usr/bin/env node
// Adds up the vitest JSON reports that every package's `test` task writes and prints one closing line,
// `tests: N passed, M failed`, for people and CI alike. Exits non-zero when a test failed or none ran.
import { vitestReports } from './vitest-reports.mjs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const { group, name, report } of vitestReports()) {
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${group}/${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed > 0 || passed === 0) process.exit(1);
