import { appendFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll } from 'vitest';
import { loadOnednnAddon } from '../src';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Set by test/isa_matrix.test.ts in its child runs: each test file adds what ran under the ISA cap.
afterAll(() => {
  const report = process.env.QAD_ISA_REPORT;
  if (!report) return;
  const addon = loadOnednnAddon();
  const line = {
    isa: addon.cpuIsa(),
    wideVectors: addon.wideVectors(),
    guardPages: addon.guardPages(),
    implementations: Object.values(addon.implementations()),
  };
  appendFileSync(report, `${JSON.stringify(line)}\n`);
});
