import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@gridtokenx/source'] },
  ssr: { resolve: { conditions: ['@gridtokenx/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests create their own databases; files run in parallel but each stays independent.
    fileParallelism: true,
  },
});
