import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // NOTE: integration tests spawn many git processes; two cores are the target machine.
    maxWorkers: 2,
  },
});
