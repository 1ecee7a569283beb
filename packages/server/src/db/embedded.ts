import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { claimDataDir, type DataDirClaim } from './embedded-claim.js';
import type { EmbeddedReady, EmbeddedWorkerData } from './embedded-worker.js';

/** The embedded PGlite, served on a worker thread: where to connect, and how to stop it. */
export type EmbeddedPglite = {
  connection: EmbeddedReady;
  /** This process's hold on DATA_DIR, and its control socket (none in memory). */
  claim: DataDirClaim | undefined;
  /** Closes PGlite cleanly (a checkpoint); call it once every connection has ended. */
  stop(): Promise<void>;
};

/**
 * The worker's code. The build bundles it beside main.js (and this module into main.js, so the
 * URL below points there). From the sources (tests, `npm run dev`), tsx compiles it: a worker
 * thread does not inherit the main thread's loader, and Node 20 takes no `--import` for one.
 */
function workerScript(): { script: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./embedded-worker.js', import.meta.url), eval: false };
  const file = JSON.stringify(new URL('./embedded-worker.ts', import.meta.url).href);
  const script = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${file}, ${file}))`;
  return { script, eval: true };
}

/**
 * Starts PGlite with its data in `dataDir` (or in memory, for `memory://`) on a worker thread,
 * listening on a unix socket in a directory of its own that only this user may enter (loopback
 * TCP on Windows). The thread ends with the process; if it dies before that, so does the
 * process, as Parley cannot go on without its database. DATA_DIR is claimed first: it throws
 * DataDirInUse when another process has it open (embedded-claim.ts).
 */
export async function startEmbeddedPglite(dataDir: string): Promise<EmbeddedPglite> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  // No unix sockets on Windows (the worker listens on loopback TCP there): no claim either.
  const claim =
    inMemory || process.platform === 'win32'
      ? undefined
      : await claimDataDir(dataDir, { what: 'a Parley server', pid: process.pid });
  const socketDir =
    process.platform === 'win32' ? undefined : mkdtempSync(join(tmpdir(), 'parley-pglite-'));
  const removeSocketDir = () => {
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  };
  const { script, eval: evaluate } = workerScript();
  const workerData: EmbeddedWorkerData = { dataDir, socketDir };
  const worker = new Worker(script, { workerData, eval: evaluate });

  let stopping = false;
  let connection: EmbeddedReady;
  try {
    connection = await new Promise<EmbeddedReady>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PGlite's worker exited (${code})`)));
    });
  } catch (error) {
    await worker.terminate();
    removeSocketDir();
    await claim?.release();
    throw error;
  }
  worker.removeAllListeners();
  // No 'error' listener: an uncaught error of the worker is thrown on this thread.
  worker.on('exit', (code) => {
    if (!stopping) throw new Error(`PGlite's worker stopped unexpectedly (exit code ${code})`);
  });
  // Like a PostgreSQL server elsewhere, it does not keep the process alive by itself.
  worker.unref();

  return {
    connection,
    claim,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      worker.ref(); // the clean close must finish before the process may end
      const exited = new Promise((resolve, reject) => {
        worker.once('exit', resolve);
        worker.once('error', reject); // PGlite failed to close: the caller hears of it
      });
      worker.postMessage('close');
      try {
        await exited;
      } finally {
        removeSocketDir();
        await claim?.release();
      }
    },
  };
}
