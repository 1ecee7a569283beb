import { defineConfig } from 'vitest/config';

// Browser tests: the built server and a real Chromium, each file with its own server, browser and
// database. Two files at a time: a browser test mostly waits (for a page, a socket, a timer), and
// on this 2-core machine two at a time took the suite from 329 s to 241 s, all passing. Generous
// timeouts for cold starts.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.e2e.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    // What a page shows after a refresh or a socket event takes more than expect.poll's default
    // second on a loaded machine (a webhook log refreshed every 3 s failed a CI run that way):
    // every poll waits as long as a page's own refresh can take.
    expect: { poll: { timeout: 10_000 } },
  },
});
