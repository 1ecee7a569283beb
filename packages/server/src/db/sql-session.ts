import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { rowsOf, type Tx } from './client.js';

/**
 * One session on a database, as the operations tools see it (backup, restore, the move to
 * PostgreSQL): SQL text in, rows out. It is Parley's own transaction in a running server,
 * PGlite itself in a tool that opened a stopped database, or a `pg` client on the target of a
 * move. The statements are the tools' own, written in db/ like every other.
 */
export type SqlSession = {
  query<Row>(text: string): Promise<Row[]>;
};

/** The embedded database opened by a tool, with COPY out through PGlite's /dev/blob. */
export type PgliteSession = SqlSession & {
  /** The bytes `COPY (...) TO '/dev/blob'` writes. */
  copyOut(statement: string): Promise<Uint8Array>;
};

/** The embedded database opened by this process, to close when done. */
export type OpenedPglite = PgliteSession & { close(): Promise<void> };

/** A PostgreSQL connection, with COPY in. */
export type PostgresSession = SqlSession & {
  /** Runs `COPY ... FROM STDIN` with `data` as its input. */
  copyIn(statement: string, data: Uint8Array): Promise<void>;
};

/** A transaction (or the database) of a running server. */
export function transactionSession(tx: Tx): SqlSession {
  return { query: <Row>(text: string) => rowsOf<Row>(tx, sql.raw(text)) };
}

/**
 * Opens the embedded database in `dir` in this process, for a tool: never a folder another
 * process has open (the caller has claimed it, or made it). PGlite is loaded here, so that a
 * server that imports this module does not load it on its main thread.
 */
export async function openPglite(dir: string): Promise<OpenedPglite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const pglite = await PGlite.create(dir, { extensions: { unaccent } });
  return { ...pgliteSession(pglite), close: () => pglite.close() };
}

function pgliteSession(pglite: PGlite): PgliteSession {
  return {
    query: async <Row>(text: string) => (await pglite.query<Row>(text)).rows,
    copyOut: async (statement) => {
      const result = await pglite.query(statement);
      return new Uint8Array((await result.blob?.arrayBuffer()) ?? new ArrayBuffer(0));
    },
  };
}

export function postgresSession(client: pg.Client): PostgresSession {
  return {
    query: async <Row>(text: string) => (await client.query<Row & pg.QueryResultRow>(text)).rows,
    copyIn: (statement, data) =>
      new Promise(
        (resolve, reject) => void client.query(new CopyIn(statement, data, resolve, reject)),
      ),
  };
}

/** What node-postgres's connection has for COPY FROM STDIN, beside what its types declare. */
type CopyConnection = pg.Connection & {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
};

// Chunks of CopyData messages: the server takes any size, and these keep each write modest.
const COPY_CHUNK = 256 * 1024;

/**
 * `COPY ... FROM STDIN` as node-postgres runs any query object (`Submittable`): it sends the
 * statement, and when the server asks for the data, sends it and the end of it. pg-copy-streams
 * does the same with streams; a move hands over one batch at a time, so this is all it needs.
 */
class CopyIn implements pg.Submittable {
  private settled = false;

  constructor(
    private readonly statement: string,
    private readonly data: Uint8Array,
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.statement);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let at = 0; at < this.data.length; at += COPY_CHUNK) {
      connection.sendCopyFromChunk(Buffer.from(this.data.subarray(at, at + COPY_CHUNK)));
    }
    connection.endCopyFrom();
  }

  handleCommandComplete(): void {}

  handleError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve();
  }
}
