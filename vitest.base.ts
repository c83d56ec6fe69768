/**
 * Shared test settings of the packages: every `test/**\/*.test.ts`, the package's `test/setup.ts` (the tfjs
 * backend), and timeouts generous enough for a loaded 2-core machine.
 */
export const packageTests = {
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
};
