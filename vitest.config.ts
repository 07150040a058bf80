import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that measure the machine (two `shikaku serve` against one): they run alone, after every other
 * file, so the cores they compare are not taken by the rest of the suite.
 */
const ALONE = ['test/scale/throughput.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file makes its own association or database, so files may run in parallel.
    fileParallelism: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
        },
      },
      { extends: true, test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
