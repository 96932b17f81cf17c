import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fail-on-console.ts'],
    testTimeout: 30_000,
    // At least two files at once. The suite mostly waits (on Neo4j, PostgreSQL, Chromium and the CLI
    // in child processes), and vitest's default of one worker fewer than the cores leaves a 2-core
    // machine running one file at a time: a full run on one took 26.3 min that way and 17.5 min
    // with two workers, all tests passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
