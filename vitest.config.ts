import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: '.',
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A browser journey's page may take seconds to settle on two busy cores; a second, vitest's
    // default, made the journeys fail under load, not on a fault.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['src/**/*.test.ts'],
          globalSetup: ['src/server/test/global-setup.ts'],
          // At least two files at a time. vitest's default in a run is one fork fewer than cores: on
          // the two-core CI machine, one file at a time, while a file spends much of its time waiting
          // on PostgreSQL or a spawned server, in other processes. Files share nothing two could
          // fight over: each has its own SQLite directory or PostgreSQL schema, servers listen on
          // port 0, the compiled server builds into a folder of its own.
          maxWorkers: Math.max(2, availableParallelism() - 1),
        },
      },
      {
        extends: true,
        test: {
          name: 'journeys',
          include: ['e2e/**/*.e2e.test.ts'],
          // The browser journeys run after the rest, one at a time: a journey is its server, the
          // test and Chromium's processes at once, and beside a busy file on two cores a page once
          // took over 40 s to show a row it shows in 9 s alone.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
