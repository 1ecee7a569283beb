import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: query functions take either. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Runs one fixed statement of the hot path by name. On PostgreSQL it is a named prepared
 * statement, parsed and planned once per pooled connection instead of once per call (behind
 * PgBouncer in transaction mode that needs its max_prepared_statements). PGlite runs in process
 * and takes the text each time.
 */
export type NamedQuery = <Row>(name: string, text: string, params: unknown[]) => Promise<Row[]>;

const namedQueries = new WeakMap<Db, NamedQuery>();

/** The named-statement runner of a database opened by `openDatabase`. */
export function namedQueryOf(db: Db): NamedQuery {
  const query = namedQueries.get(db);
  if (!query) throw new Error('not a database opened by openDatabase');
  return query;
}

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
};

// Beside this file in the sources, copied beside main.js by the build.
const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any constant; instances starting together take turns migrating.
const MIGRATION_LOCK = 7_233_001;

/** Told how long each query took, in seconds (metrics). */
export type QueryTimer = (seconds: number) => void;

/** Opens PostgreSQL at `url`, or the embedded PGlite in `dataDir`, and applies migrations. */
export async function openDatabase(opts: {
  url?: string;
  dataDir: string;
  poolSize?: number;
  onQuery?: QueryTimer;
}): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10, opts.onQuery);
  return openPglite(opts.dataDir, opts.onQuery);
}

type Queryable = { query: (...args: never[]) => unknown };

/**
 * Times a client's `query` calls. The drivers' `query` is heavily overloaded, so the wrapper
 * is installed through a plain function type: that one cast is the price of driver-level timing.
 */
function timeQueries(client: Queryable, onQuery: QueryTimer | undefined): void {
  if (!onQuery) return;
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const timed = (...args: unknown[]) => {
    const start = performance.now();
    const result = original(...args);
    if (result instanceof Promise) {
      const done = () => onQuery((performance.now() - start) / 1000);
      result.then(done, done);
    }
    return result;
  };
  Object.assign(client, { query: timed });
}

async function openPglite(dataDir: string, onQuery?: QueryTimer): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // Loaded only when used: a PostgreSQL deployment never pays for the embedded database.
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create(dataDir);
  timeQueries(client, onQuery);
  const db: Db = drizzlePglite({ client, schema });
  namedQueries.set(db, async <Row>(_name: string, text: string, params: unknown[]) => {
    const result = await client.query<Row>(text, params);
    return result.rows;
  });
  await migratePglite(drizzlePglite({ client }), { migrationsFolder });
  return { db, kind: 'pglite', close: () => client.close() };
}

async function openPostgres(
  url: string,
  poolSize: number,
  onQuery?: QueryTimer,
): Promise<Database> {
  // A database that does not answer fails the request within seconds (as `unavailable`, which
  // clients retry) instead of holding it until the client gives up.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client's network error must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  pool.on('connect', (client) => timeQueries(client, onQuery));
  // The lock is held on a connection of its own, so a pool of one can still migrate.
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client: pool }), { migrationsFolder });
  } finally {
    await lock.end().catch(() => {}); // ending the session releases the lock
  }
  const db: Db = drizzlePg({ client: pool, schema });
  namedQueries.set(db, async <Row>(name: string, text: string, values: unknown[]) => {
    const result = await pool.query<Row & pg.QueryResultRow>({ name, text, values });
    return result.rows;
  });
  return { db, kind: 'postgres', close: () => pool.end() };
}
