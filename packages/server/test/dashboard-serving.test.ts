import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useServer } from './harness.js';

// A stand-in for the dashboard's build, so this runs without building the React app.
const dir = mkdtempSync(join(tmpdir(), 'parley-dashboard-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(
  join(dir, 'index.html'),
  '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1.js"></script>',
);
writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log("app")');
process.env.PARLEY_DASHBOARD_DIR = dir;
afterAll(() => {
  delete process.env.PARLEY_DASHBOARD_DIR;
  rmSync(dir, { recursive: true, force: true });
});

const server = useServer();
const get = (path: string, accept = 'text/html') =>
  fetch(`${server.current.url}${path}`, { headers: { accept } });

describe('the dashboard at /', () => {
  it('answers client routes with index.html, never cached, under a CSP without inline scripts', async () => {
    for (const path of ['/', '/conversations/abc', '/settings/team']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
  });

  it('serves hashed assets as immutable, and a missing asset as a 404, not as the app', async () => {
    const asset = await get('/assets/app-1.js', '*/*');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await get('/assets/missing-2.js', '*/*')).status).toBe(404);
  });

  it('leaves the API, sockets and probes their own answers', async () => {
    const api = await get('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await get('/healthz')).headers.get('content-type')).toContain('application/json');
    expect(await (await get('/metrics')).text()).not.toContain('<div id="root">');
    expect((await get('/socket.io/nope')).status).not.toBe(200);
  });
});
