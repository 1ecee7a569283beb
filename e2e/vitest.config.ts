import { defineConfig } from 'vitest/config';

// Browser tests: the built server and a real Chromium. One file at a time (two cores: the
// server, Chromium and PGlite already use both), and generous timeouts for cold starts.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
