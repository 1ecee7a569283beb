// Only one process may open the embedded database's folder: PGlite has no lock of its own, and
// two processes writing one folder corrupt it. So whoever opens it (a server, or a backup or a
// move while no server runs) first claims DATA_DIR by listening on a unix socket inside it,
// DATA_DIR/control/socket, in a directory only its user may enter. The socket is the lock (a
// second claimant finds it answering and stops) and the channel through which `npm run backup`
// asks a running server for a snapshot (docs/architecture.md "The embedded database").
import { chmod, lstat, mkdir, rmdir, unlink } from 'node:fs/promises';
import { closeSync, openSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join, relative, resolve } from 'node:path';

const CONTROL_DIR = 'control';
const SOCKET_NAME = 'socket';
// sun_path holds 108 bytes on Linux and 104 on macOS, the final NUL included.
const MAX_SOCKET_PATH = 100;
/** A request or an answer is one line of JSON; more than this is not one of ours. */
const MAX_LINE = 64 * 1024;

/** Who holds DATA_DIR, as a probe is told: "a Parley server", "a backup"… and its process. */
export type Holder = { what: string; pid: number };

/** Answers a request other than `status` while this process holds DATA_DIR. */
export type ControlHandler = (request: unknown) => Promise<unknown>;

export type DataDirClaim = {
  /** The directory only this user may enter, where the holder may stage a snapshot. */
  controlDir: string;
  /** Answers each request (one line of JSON per connection) with the handler's answer. */
  serve(handler: ControlHandler): void;
  /** Stops listening and removes the socket: DATA_DIR is free again. */
  release(): Promise<void>;
};

/** DATA_DIR is held by another process: `holder` when it said who it is. */
export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | undefined,
  ) {
    super(
      `DATA_DIR (${dataDir}) is in use by ${holder ? `${holder.what} (process ${holder.pid})` : 'another process'}`,
    );
  }
}

/** The answer to `{op: 'status'}`: who holds DATA_DIR. */
export function holderOf(answer: unknown): Holder | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  if (!('what' in answer) || !('pid' in answer)) return undefined;
  const { what, pid } = answer;
  return typeof what === 'string' && typeof pid === 'number' ? { what, pid } : undefined;
}

/** The control directory and the socket's own path in it. */
function socketAddress(dataDir: string): { dir: string; path: string } {
  const dir = resolve(dataDir, CONTROL_DIR);
  return { dir, path: join(dir, SOCKET_NAME) };
}

type Address = { name: string; close(): void };

/**
 * A unix socket's path is limited to about 100 bytes, and DATA_DIR may be deeper than that.
 * The path relative to the working directory may be shorter; on Linux, the directory opened
 * and named through /proc/self/fd always is.
 */
function shortest(dir: string, path: string): Address {
  const candidates = [path, relative(process.cwd(), path)].filter(
    (name) => Buffer.byteLength(name) <= MAX_SOCKET_PATH,
  );
  const fitting = candidates.sort((a, b) => a.length - b.length)[0];
  if (fitting) return { name: fitting, close: () => {} };
  if (process.platform === 'linux') {
    const fd = openSync(dir, 'r');
    return { name: `/proc/self/fd/${fd}/${SOCKET_NAME}`, close: () => closeSync(fd) };
  }
  throw new Error(
    `The path of DATA_DIR (${dir}) is too long for its control socket: choose a shorter one`,
  );
}

/**
 * Asks whoever holds DATA_DIR `request` and returns the answer, or undefined when nobody holds
 * it (no socket, or one left by a process that died). Throws when the holder does not answer
 * within `timeoutMs`, or the socket cannot be reached (another user's DATA_DIR, say).
 */
export async function askHolder(
  dataDir: string,
  request: unknown,
  timeoutMs: number,
): Promise<unknown> {
  const { dir, path } = socketAddress(dataDir);
  const exists = await lstat(path).then(
    (s) => s.isSocket(),
    () => false,
  );
  if (!exists) return undefined;
  const address = shortest(dir, path);
  try {
    return await exchange(address.name, request, timeoutMs);
  } catch (error) {
    if (isErrno(error, 'ECONNREFUSED') || isErrno(error, 'ENOENT')) return undefined;
    throw error;
  } finally {
    address.close();
  }
}

function exchange(name: string, request: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(name);
    let received = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`the process holding DATA_DIR did not answer within ${timeoutMs / 1000} s`)),
    );
    socket.once('error', fail);
    socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length > MAX_LINE) return fail(new Error('answer too long'));
      const end = received.indexOf('\n');
      if (end === -1) return;
      socket.end();
      try {
        resolvePromise(JSON.parse(received.slice(0, end)));
      } catch {
        reject(new Error('the process holding DATA_DIR answered something else than JSON'));
      }
    });
    socket.once('end', () => {
      if (!received.includes('\n')) fail(new Error('the process holding DATA_DIR hung up'));
    });
  });
}

/**
 * Claims DATA_DIR for this process, or throws DataDirInUse when another process holds it. A
 * socket left behind by a process that died is taken over. `{op: 'status'}` is answered with
 * `holder`; any other request is refused until `serve` installs a handler.
 */
export async function claimDataDir(dataDir: string, holder: Holder): Promise<DataDirClaim> {
  const { dir, path } = socketAddress(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Made earlier by someone with another umask, or copied: only this user may enter it.
  await chmod(dir, 0o700);
  let handler: ControlHandler = async () => ({
    ok: false,
    error: `${holder.what} holds DATA_DIR (process ${holder.pid})`,
  });
  const server = createServer(
    (socket) =>
      void answer(socket, (request) =>
        isStatus(request) ? Promise.resolve({ ok: true, ...holder }) : handler(request),
      ),
  );

  for (let attempt = 0; ; attempt++) {
    const address = shortest(dir, path);
    try {
      await listen(server, address.name);
      break;
    } catch (error) {
      if (!isErrno(error, 'EADDRINUSE') || attempt > 0) throw error;
      const answer = await askHolder(dataDir, { op: 'status' }, 5_000).catch(() => null);
      if (answer !== undefined) throw new DataDirInUse(dataDir, holderOf(answer));
      // Left by a process that died: nobody listens on it. (Two processes taking over the
      // same dead socket at the same instant could both succeed: a race this does not close.)
      await unlink(path).catch(() => {});
    } finally {
      address.close();
    }
  }
  await chmod(path, 0o600);
  // A connection that fails as it is accepted must not take the server down with it.
  server.on('error', () => {});
  server.unref();

  let released: Promise<void> | undefined;
  return {
    controlDir: dir,
    serve: (next) => {
      handler = next;
    },
    release: () =>
      (released ??= (async () => {
        await new Promise<void>((done) => server.close(() => done()));
        await unlink(path).catch(() => {});
        await rmdir(dir).catch(() => {}); // kept while a snapshot is still staged in it
      })()),
  };
}

function listen(server: Server, name: string): Promise<void> {
  return new Promise((done, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(name, () => {
      server.off('error', onError);
      done();
    });
  });
}

/** One request per connection: a line of JSON in, a line of JSON out. */
async function answer(socket: Socket, handle: ControlHandler): Promise<void> {
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  // An idle connection (a probe that never speaks) is not kept for ever.
  socket.setTimeout(10_000, () => socket.destroy());
  let received = '';
  const line = await new Promise<string | undefined>((done) => {
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end !== -1) done(received.slice(0, end));
      else if (received.length > MAX_LINE) done(undefined);
    });
    socket.once('close', () => done(undefined));
  });
  if (line === undefined) return void socket.destroy();
  socket.setTimeout(0); // a snapshot takes as long as it takes
  let reply: unknown;
  try {
    reply = await handle(JSON.parse(line));
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  socket.end(`${JSON.stringify(reply)}\n`);
}

function isStatus(request: unknown): boolean {
  return (
    typeof request === 'object' && request !== null && 'op' in request && request.op === 'status'
  );
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
