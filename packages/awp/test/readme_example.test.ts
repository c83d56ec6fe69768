import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('README', () => {
  it('the training-step example runs as written', async () => {
    const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
    const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((c) => c.includes('trainStep'));
    expect(block).toBeDefined();
    // Run it against the sources; everything else is verbatim.
    const source = block!.replace("from '@qad/awp'", "from '../src'");
    // Outside test/ and src/, so that type checks and typedoc running beside the tests never see it.
    const dir = join(here, '..', '.generated');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `readme-example-${process.pid}.ts`);
    writeFileSync(file, source);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      const lines = log.mock.calls.map((c) => String(c[0]));
      expect(lines).toHaveLength(5);
      for (const line of lines) expect(line).toMatch(/^epoch \d: loss \d+\.\d{4}$/);
    } finally {
      log.mockRestore();
      rmSync(file, { force: true });
    }
    expect(tf.getBackend()).toBe('cpu');
  });
});
