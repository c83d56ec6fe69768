import type { Options } from 'tsup';

/** Shared build settings: dual ESM/CJS output with declarations, tfjs left external. */
export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
};
