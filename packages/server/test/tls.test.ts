import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openTestDatabase } from './database.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function get(
  url: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    // A self-signed certificate made for this test: trust it explicitly, nothing else.
    const req = request(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS', () => {
  it('serves HTTPS itself with TLS_CERT and TLS_KEY, with HSTS', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    expect(made.status).toBe(0);
    const database = await openTestDatabase();
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      TLS_CERT: cert,
      TLS_KEY: key,
    });
    const server = await startServer(config, createLogger('silent', false), { database });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await get(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
      expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=\d+/);
    } finally {
      await server.close();
      await database.close();
    }
  });
});
