import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startServer, type ParleyServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';
import { openTestDatabase, resetDatabase } from './database.js';

const testEnv = {
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
  // The offline form's proof of work, checked in full but cheap to solve: test/pow.ts.
  PROOF_OF_WORK_COST: '1',
};
const config = loadConfig(testEnv);

type Closable = { close(): unknown } | { disconnect(): unknown };
const open = new Set<Closable>();

/** Clients made by factories are registered here and closed after each test. */
export function track<T extends Closable>(client: T): T {
  open.add(client);
  return client;
}

export type TestServer = ParleyServer;

function closeTracked() {
  for (const client of open) {
    if ('disconnect' in client) client.disconnect();
    else client.close();
  }
  open.clear();
}

/**
 * One database per test file (copied from the migrated template), emptied before each test,
 * and a fresh server on a random port for each test, driven through real HTTP and sockets.
 * `shared`: one server and one fixture for the whole file (the tests build on each other).
 * `env`: variables of this file's servers beside the test defaults (DASHBOARD_ORIGINS, say),
 * read as each server starts. `logs`: the server logs at info level into it, a line each.
 */
export function useServer(
  opts: { shared?: boolean; env?: Record<string, string>; logs?: string[] } = {},
): {
  readonly current: TestServer;
  readonly database: Database;
} {
  let database: Database | undefined;
  let server: TestServer | undefined;
  const start = async () => {
    if (!database) throw new Error('no database');
    await resetDatabase(database);
    // Read when each server starts: a file may fill `env` in a beforeAll of its own (the port
    // of a server it starts).
    const serverConfig = opts.env ? loadConfig({ ...testEnv, ...opts.env }) : config;
    const logs = opts.logs;
    const logger = logs
      ? createLogger('info', false, { write: (line: string) => void logs.push(line) })
      : createLogger(config.logLevel, false);
    server = await startServer(serverConfig, logger, { database });
  };
  const stop = async () => {
    closeTracked();
    await server?.close();
    server = undefined;
  };
  beforeAll(async () => {
    database = await openTestDatabase();
    if (opts.shared) await start();
  });
  if (!opts.shared) {
    beforeEach(start);
    afterEach(stop);
  }
  afterAll(async () => {
    if (opts.shared) await stop();
    await database?.close();
  });
  return {
    get current() {
      if (!server) throw new Error('server not started');
      return server;
    },
    get database() {
      if (!database) throw new Error('no database');
      return database;
    },
  };
}
