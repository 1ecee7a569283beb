import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { DataDirClaim } from './embedded-claim.js';
import { startEmbeddedPglite, type EmbeddedPglite } from './embedded.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: query functions take either. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Runs one fixed statement of the hot path by name: a named prepared statement, parsed and
 * planned once per pooled connection instead of once per call (behind PgBouncer in transaction
 * mode that needs its max_prepared_statements).
 */
export type NamedQuery = <Row>(name: string, text: string, params: unknown[]) => Promise<Row[]>;

const namedQueries = new WeakMap<Db, NamedQuery>();

/** The named-statement runner of a database opened by `openDatabase`. */
export function namedQueryOf(db: Db): NamedQuery {
  const query = namedQueries.get(db);
  if (!query) throw new Error('not a database opened by openDatabase');
  return query;
}

/**
 * The rows of a statement written in SQL. Both databases are reached through node-postgres,
 * whose result holds them; Drizzle's type for `execute` leaves the result to the driver.
 */
export async function rowsOf<Row>(db: Tx, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

export type Database = {
  db: Db;
  /**
   * The same database for work that goes behind the chats (reports, search: queries of tens
   * of milliseconds). On PGlite, which runs one query at a time, its queries take the
   * connection only when no other query waits for it (ForegroundFirstPool); on PostgreSQL it
   * is `db`.
   */
  backgroundDb: Db;
  kind: 'pglite' | 'postgres';
  /** On PGlite: this process's hold on DATA_DIR, whose socket answers `npm run backup`. */
  claim?: DataDirClaim;
  close(): Promise<void>;
};

// Beside this file in the sources, copied beside main.js by the build.
export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any constant; instances starting together take turns migrating (and wait for a move's copy).
export const MIGRATION_LOCK = 7_233_001;

/** Told how long each query took, in seconds (metrics). */
export type QueryTimer = (seconds: number) => void;

/**
 * Opens PostgreSQL at `url`, or the embedded PGlite in `dataDir` (on a worker thread, see
 * embedded.ts), and applies migrations. Both are then the same to the rest of Parley: a `pg`
 * pool under Drizzle's node-postgres driver.
 */
export async function openDatabase(opts: {
  url?: string;
  dataDir: string;
  /** The embedded PGlite in `dataDir`, already starting (main.ts starts it first). */
  embedded?: Promise<EmbeddedPglite>;
  poolSize?: number;
  onQuery?: QueryTimer;
}): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10, opts.onQuery);
  return openPglite(await (opts.embedded ?? startEmbeddedPglite(opts.dataDir)), opts.onQuery);
}

type Queryable = { query: (...args: never[]) => unknown };

/**
 * Times a client's `query` calls. The driver's `query` is heavily overloaded, so the wrapper
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

/** `pool`, its clients timed, and its idle clients' errors caught. */
function watched<P extends pg.Pool>(pool: P, onQuery: QueryTimer | undefined): P {
  // An idle client's network error must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  pool.on('connect', (client) => timeQueries(client, onQuery));
  return pool;
}

function opened(
  pool: pg.Pool,
  kind: Database['kind'],
  close: () => Promise<void>,
  background?: pg.Pool,
): Database {
  const db: Db = drizzle({ client: pool, schema });
  const backgroundDb: Db = background ? drizzle({ client: background, schema }) : db;
  namedQueries.set(db, async <Row>(name: string, text: string, values: unknown[]) => {
    const result = await pool.query<Row & pg.QueryResultRow>({ name, text, values });
    return result.rows;
  });
  return { db, backgroundDb, kind, close };
}

type ConnectCallback = (
  error: Error | undefined,
  client: pg.PoolClient | undefined,
  release: (release?: unknown) => void,
) => void;

/** How long a background query lets others go first at most: a busy instance still reports. */
const BACKGROUND_WAIT_MS = 2_000;

/**
 * PGlite's pool of one, where background work goes last. A report runs several queries at
 * once, and in a pool's first-come queue a chat message stored after them waited for all of
 * them; here it waits for the one running at most. Background queries take turns among
 * themselves, and each is let in when the connection is free and nothing else is queued, or
 * after BACKGROUND_WAIT_MS whatever is queued.
 */
class ForegroundFirstPool extends pg.Pool {
  private readonly deferred: Array<() => void> = [];

  constructor(config: pg.PoolConfig) {
    super(config);
    // Released, the client first goes to whoever is queued; what is left may go to the back.
    this.on('release', () => {
      if (this.deferred.length > 0) setImmediate(() => this.admitBackground());
    });
  }

  /**
   * This pool as background work sees it: the same connection, taken behind every other
   * caller. Its `query` (pg-pool's, which only reads the pool) and `connect` both come here.
   */
  behind(): pg.Pool {
    const connect = (callback?: ConnectCallback) => this.connectBehind(callback);
    return Object.create(this, { connect: { value: connect } }) as pg.Pool;
  }

  private connectBehind(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (!callback)
      return new Promise((resolve, reject) => {
        this.connectBehind((error, client) => (client ? resolve(client) : reject(error)));
      });
    const enter = () => {
      clearTimeout(timer);
      const index = this.deferred.indexOf(enter);
      if (index !== -1) this.deferred.splice(index, 1);
      this.connect(callback);
    };
    const timer = setTimeout(enter, BACKGROUND_WAIT_MS);
    this.deferred.push(enter);
    this.admitBackground();
  }

  private admitBackground(): void {
    const free = this.idleCount > 0 || this.totalCount < (this.options.max ?? 1);
    if (free && this.waitingCount === 0) this.deferred[0]?.();
  }
}

/**
 * PGlite is one PostgreSQL session, so the pool holds one connection, for good: queries take
 * turns in the pool's queue, and a transaction has the session to itself until it ends. The
 * wait for that turn (which the pool's connection timeout bounds) may be behind a slow report,
 * so it is far longer than PostgreSQL's; past it, the query fails as `unavailable` rather than
 * hold its request for ever. Nothing else can reach this database: migrations need no lock.
 */
async function openPglite(embedded: EmbeddedPglite, onQuery?: QueryTimer): Promise<Database> {
  const pool = watched(
    new ForegroundFirstPool({
      ...embedded.connection,
      user: 'postgres',
      max: 1,
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: 30_000,
    }),
    onQuery,
  );
  const close = async () => {
    await pool.end();
    await embedded.stop();
  };
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder });
  } catch (error) {
    await close();
    throw error;
  }
  return { ...opened(pool, 'pglite', close, pool.behind()), claim: embedded.claim };
}

async function openPostgres(
  url: string,
  poolSize: number,
  onQuery?: QueryTimer,
): Promise<Database> {
  // A database that does not answer fails the request within seconds (as `unavailable`, which
  // clients retry) instead of holding it until the client gives up.
  const pool = watched(
    new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 }),
    onQuery,
  );
  // The lock is held on a connection of its own, so a pool of one can still migrate.
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle({ client: pool }), { migrationsFolder });
  } finally {
    await lock.end().catch(() => {}); // ending the session releases the lock
  }
  return opened(pool, 'postgres', () => pool.end());
}
