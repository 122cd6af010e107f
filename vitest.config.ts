import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: '.',
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    globalSetup: ['src/server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // At least two files at a time. vitest's default in a run is one fork fewer than cores: on the
    // two-core CI machine, one file at a time, while a file spends much of its time waiting on
    // PostgreSQL, a spawned server or Chromium, all in other processes. Files share nothing two could
    // fight over: each has its own SQLite directory or PostgreSQL schema, servers listen on port 0,
    // the compiled server builds into a folder of its own. `--maxWorkers=1` runs them one at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A browser journey's page may take seconds to settle on two busy cores (the suite runs files side
    // by side); a second, vitest's default, made the journeys fail under load, not on a fault.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
  },
});
