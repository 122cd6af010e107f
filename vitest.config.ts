import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: '.',
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    globalSetup: ['src/server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A browser journey's page may take seconds to settle on two busy cores (the suite runs files side
    // by side); a second, vitest's default, made the journeys fail under load, not on a fault.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
  },
});
