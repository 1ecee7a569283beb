import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthReply } from '@parley/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { startS3 } from '../packages/server/test/support/s3.js';
import { api, registerAdmin } from './support/parley-api.js';
import { repoRoot, startParley } from './support/server.js';

// main.js starts PGlite's thread before it loads the rest of the server, and the packages of
// what is optional (S3, email, Redis, images) only when they are used: these run that start as
// `npm start` does, on the embedded database.
describe('the built server on its embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts in a new folder, and again on what it stored there', async () => {
    const dataDir = join(dir, 'data');
    const first = await startParley({}, { dataDir });
    const { user } = await registerAdmin(first, 'Ada Admin');
    await first.stop();

    const second = await startParley({}, { dataDir });
    try {
      const signedIn = await api<AuthReply>(second, 'POST', '/api/auth/login', {
        body: { email: user.email, password: 'correct horse battery' },
      });
      expect(signedIn.user).toMatchObject({ id: user.id, name: 'Ada Admin', role: 'admin' });
    } finally {
      await second.stop();
    }
  });

  it('says why when the database cannot start, and exits', async () => {
    const notAFolder = join(dir, 'a-file');
    writeFileSync(notAFolder, '');
    const child = spawn(process.execPath, [join(repoRoot, 'packages/server/dist/main.js')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: notAFolder,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    const fatal = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } })
      .find((line) => line.msg === 'failed to start');
    expect(fatal?.err?.message).toMatch(/EEXIST|ENOTDIR/);
  });

  it('loads the S3 driver when S3 is configured, and reaches the bucket with it', async () => {
    const s3 = await startS3();
    const server = await startParley(s3.env);
    try {
      const ready = await api<{ files: unknown }>(server, 'GET', '/readyz');
      expect(ready.files).toEqual({ storage: 's3', reachable: true });
    } finally {
      await server.stop();
      await s3.close();
    }
  });
});
