import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { freePort } from '../../tools/local.mjs';

export const repoRoot = join(import.meta.dirname, '..', '..');

export type RunningServer = { url: string; port: number; stop(): Promise<void> };

/**
 * The built server (`packages/server/dist/main.js`, as `npm start` runs it) on a random port
 * with a database of its own in a temporary folder, copied from the one the run's first start
 * made (global-setup.ts); or in `opts.dataDir`, as it is (left there when it stops).
 * Reached as http://localhost:<port>, so that a page served from 127.0.0.1 is on another
 * origin (and another site).
 */
export async function startParley(
  env: Record<string, string> | ((port: number) => Record<string, string>) = {},
  opts: { dataDir?: string } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = opts.dataDir ?? copyOfTemplate();
  const child = spawn(process.execPath, [join(repoRoot, 'packages/server/dist/main.js')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // The offline form's and transcripts' proof of work is solved for real in the browser, at
      // a tenth of the default cost, so that a loaded machine does not time a test out;
      // widget.e2e measures it at the default.
      PROOF_OF_WORK_COST: '100',
      // A function of the port, for settings that name the server's own address (PUBLIC_URL).
      ...(typeof env === 'function' ? env(port) : env),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://localhost:${port}`;
  try {
    await waitForHealth(url, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    port,
    async stop() {
      await stopChild(child);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function copyOfTemplate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const template = inject('dataTemplate');
  if (template) cpSync(template, dir, { recursive: true });
  return dir;
}

async function waitForHealth(url: string, child: ChildProcess) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server at ${url} did not become healthy`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
