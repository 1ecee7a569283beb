import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@parley/protocol';
import { inject } from 'vitest';
import { startServer, type ParleyServer } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { api } from '../factories.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

export type ToolRun = { code: number | null; stdout: string; stderr: string; ms: number };

/**
 * Runs an operations tool as `npm run backup|restore|move-to-postgres -- <argument>` does
 * (tsx, from the repository's root), with `env` beside this process's environment.
 */
export function runTool(args: string[], env: Record<string, string>): Promise<ToolRun> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'packages/server/src/ops/cli.ts'), ...args],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }),
    ),
  );
}

/** A folder of this test's own (removed by the caller), with a fresh migrated database in `data`. */
export function freshDataDir(): { work: string; dataDir: string } {
  const work = mkdtempSync(join(tmpdir(), 'parley-ops-'));
  const dataDir = join(work, 'data');
  cpSync(join(inject('pgliteTemplate'), 'pgdata'), dataDir, { recursive: true });
  return { work, dataDir };
}

/**
 * A server as `npm start` runs one: it opens its own database (the embedded one in `DATA_DIR`,
 * claimed and with its control socket, or PostgreSQL with `DATABASE_URL`).
 */
export function startOwnServer(env: Record<string, string>): Promise<ParleyServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // A chat as fast as acks come back, from one address.
    RATE_LIMITS: 'off',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...env,
  });
  return startServer(config, createLogger('silent', false));
}

/** Every message of a conversation, as an agent reads them, in seq order. */
export async function allMessages(
  server: ParleyServer,
  token: string,
  conversationId: string,
): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const after = messages.at(-1)?.seq ?? 0;
    const page = await api<{ messages: Message[] }>(
      server,
      'GET',
      `/api/conversations/${conversationId}/messages?afterSeq=${after}&limit=200`,
      { token },
    );
    if (page.status !== 200) throw new Error(`messages: ${JSON.stringify(page.body)}`);
    messages.push(...page.body.messages);
    if (page.body.messages.length < 200) return messages;
  }
}
