// The embedded PGlite, on a thread of its own: it speaks PostgreSQL's wire protocol on a socket
// that only this process knows (see embedded.ts), so that Parley's main thread talks to it with
// the same `pg` driver as to a PostgreSQL server, and a slow query blocks this thread, not the
// event loop that serves chats.
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** What the main thread gives the worker. */
export type EmbeddedWorkerData = {
  dataDir: string;
  /** A private directory for the unix socket; none on Windows (loopback TCP then). */
  socketDir: string | undefined;
};
/** The worker's first message: where to connect. */
export type EmbeddedReady = { host: string; port: number };

// PostgreSQL's port number names the socket file: `pg` connects to `<dir>/.s.PGSQL.<port>`.
const SOCKET_PORT = 5432;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
const TERMINATE = 0x58; // 'X'
// A Sync message: ends whatever extended-query exchange a client left half done.
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/**
 * One client connection: the bytes it sends go to PGlite in the order they came, whole messages
 * at a time, and PGlite's answer goes back as it is produced. PGlite is one PostgreSQL session,
 * so connections take turns (see `serveInTurn`): transactions of two clients can never interleave.
 */
class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private started = false;
  private work: Promise<void> = Promise.resolve();
  private readonly closed: Promise<void>;

  /** Takes a paused socket, which it reads only when served. */
  constructor(
    private readonly pg: PGlite,
    private readonly socket: Socket,
  ) {
    this.closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => socket.destroy());
  }

  /** Resolves once the client has gone and PGlite has finished what it sent. */
  async serve(): Promise<void> {
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.resume();
    await this.closed;
    await this.work;
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length > 0 ? Buffer.concat([this.buffered, chunk]) : chunk;
    if (!this.started && !this.startUp()) return;
    // Typed messages: a type byte, then a length that counts itself but not the type byte.
    let end = 0;
    let terminated = false;
    while (end + 5 <= this.buffered.length) {
      const size = 1 + this.buffered.readInt32BE(end + 1);
      if (end + size > this.buffered.length) break;
      if (this.buffered[end] === TERMINATE) {
        terminated = true;
        break;
      }
      end += size;
    }
    if (end > 0) this.execute(this.buffered.subarray(0, end));
    this.buffered = this.buffered.subarray(end);
    if (terminated) void this.work.then(() => this.socket.end());
  }

  /**
   * The untyped messages a connection starts with: SSL and GSSAPI requests (declined: the
   * socket never leaves this machine), then the startup message. True once started.
   */
  private startUp(): boolean {
    while (this.buffered.length >= 8) {
      const size = this.buffered.readInt32BE(0);
      if (size > this.buffered.length) return false;
      const code = this.buffered.readInt32BE(4);
      const message = this.buffered.subarray(0, size);
      this.buffered = this.buffered.subarray(size);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        this.socket.write('N');
        continue;
      }
      if (code === CANCEL_REQUEST) {
        // Nothing to cancel: connections take turns, so the query it names has finished.
        this.socket.end();
        return false;
      }
      this.started = true;
      this.execute(message);
      return true;
    }
    return false;
  }

  /** Runs whole messages through PGlite, after those received before them. */
  private execute(messages: Buffer): void {
    const input = new Uint8Array(messages);
    this.work = this.work
      .then(() =>
        this.pg.execProtocolRawStream(input, {
          // A view into PGlite's memory, reused by the next call: copied before it is queued.
          onRawData: (data) => void this.socket.write(Buffer.from(data)),
        }),
      )
      .catch((error: unknown) => {
        this.socket.destroy(error instanceof Error ? error : new Error(String(error)));
      });
  }
}

/**
 * What a PostgreSQL server does when a backend ends, for the one session PGlite has: the next
 * client finds no open transaction, no prepared statement and no session lock of the last.
 */
async function resetSession(pg: PGlite): Promise<void> {
  await pg.execProtocolRaw(SYNC);
  if (pg.isInTransaction()) await pg.exec('ROLLBACK');
  await pg.exec('DISCARD ALL');
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('embedded-worker.ts runs as a worker thread');
  const { dataDir, socketDir } = workerData as EmbeddedWorkerData;
  // The contrib extensions the migrations create (PostgreSQL ships them; PGlite loads each).
  const pg = await PGlite.create(dataDir, { extensions: { unaccent } });

  // One connection at a time, in the order they came; the others wait, unread.
  let turn: Promise<void> = Promise.resolve();
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    const connection = new Connection(pg, socket);
    turn = turn.then(async () => {
      await connection.serve();
      await resetSession(pg);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (socketDir) server.listen(join(socketDir, `.s.PGSQL.${SOCKET_PORT}`), resolve);
    else server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const ready: EmbeddedReady =
    socketDir || typeof address !== 'object' || !address
      ? { host: socketDir ?? '', port: SOCKET_PORT }
      : { host: '127.0.0.1', port: address.port };
  port.postMessage(ready);

  // Asked to stop (the main thread has closed its connections): PGlite closes cleanly, which
  // checkpoints, so the next start has no WAL to replay.
  port.once('message', () => {
    server.close();
    void turn.then(() => pg.close());
  });
}

await main();
