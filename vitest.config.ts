import { defineConfig } from 'vitest/config';

// The server's integration suite runs on the embedded PGlite always, and a second time on a
// real PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Its unit tests (beside the code
// in src/) use no database of the suite's (the migrations' own test makes PGlite instances of
// its own): they run once, in server-unit.
const serverSuite = (name: string, database: 'pglite' | 'postgres') => ({
  test: {
    name,
    root: './packages/server',
    include: ['test/**/*.test.ts'],
    exclude: ['test/cluster/**'],
    globalSetup: ['./test/global-setup.ts'],
    env: { PARLEY_TEST_DB: database },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', root: './packages/protocol', include: ['src/**/*.test.ts'] } },
      // Pure functions of the dashboard (message merging, #shortcuts, CSV): no DOM needed.
      { test: { name: 'dashboard', root: './packages/dashboard', include: ['src/**/*.test.ts'] } },
      // The widget's delivery rules (dedupe, outbox) against a fake socket: no DOM needed.
      { test: { name: 'widget', root: './packages/widget', include: ['src/**/*.test.ts'] } },
      {
        test: {
          name: 'server-unit',
          root: './packages/server',
          include: ['src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      serverSuite('server-pglite', 'pglite'),
      ...(process.env.TEST_DATABASE_URL ? [serverSuite('server-postgres', 'postgres')] : []),
      // Real server processes on one PostgreSQL and one Redis: failover and kill -9 chaos.
      ...(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL
        ? [
            {
              test: {
                name: 'cluster',
                root: './packages/server',
                include: ['test/cluster/**/*.test.ts'],
                testTimeout: 120_000,
                hookTimeout: 60_000,
                // Each file builds the bundle and runs its own processes: one file at a time.
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
    // Three files at a time on two cores: the suite waits on timers, sockets and databases more
    // than it computes (CI's whole run used about one core on average), and three PGlite
    // instances (300–700 MB each) fit. 312 s with two, 277 s with three.
    maxWorkers: 3,
  },
});
