import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { useServer } from './harness.js';

// A stand-in for the dashboard's build, so this runs without building the React app.
const dir = mkdtempSync(join(tmpdir(), 'parley-dashboard-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(
  join(dir, 'index.html'),
  '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1.js"></script>',
);
const script = 'console.log("app");'.repeat(50);
const styles = 'body { color: black }';
// As the build leaves them: each script and stylesheet beside its brotli and gzip copies.
for (const [name, text] of [
  ['app-1.js', script],
  ['app-1.css', styles],
] as const) {
  writeFileSync(join(dir, 'assets', name), text);
  writeFileSync(join(dir, 'assets', `${name}.br`), brotliCompressSync(text));
  writeFileSync(join(dir, 'assets', `${name}.gz`), gzipSync(text));
}
writeFileSync(join(dir, 'assets', 'old-1.js'), script);
writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
writeFileSync(join(dir, 'manifest.webmanifest'), '{"name":"Parley"}');
process.env.PARLEY_DASHBOARD_DIR = dir;
afterAll(() => {
  delete process.env.PARLEY_DASHBOARD_DIR;
  rmSync(dir, { recursive: true, force: true });
});

const server = useServer();
const get = (path: string, accept = 'text/html', encoding = 'identity') =>
  fetch(`${server.current.url}${path}`, { headers: { accept, 'accept-encoding': encoding } });

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

  it('sends scripts and styles compressed as the browser accepts, with the same cache headers', async () => {
    for (const [path, type, text] of [
      ['/assets/app-1.js', 'text/javascript', script],
      ['/assets/app-1.css', 'text/css', styles],
    ] as const) {
      for (const [accepted, sent] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
        ['identity', null],
      ] as const) {
        const res = await get(path, '*/*', accepted);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-encoding')).toBe(sent);
        expect(res.headers.get('content-type')).toContain(type);
        expect(res.headers.get('vary')).toContain('Accept-Encoding');
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        // fetch decodes what it was sent: the body is the file, whichever copy travelled.
        expect(await res.text()).toBe(text);
      }
    }
    // A build without the compressed copies still serves its files.
    const plain = await get('/assets/old-1.js', '*/*', 'br');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
  });

  it('serves the service worker never cached, so that a new build takes over at once', async () => {
    const worker = await get('/sw.js', '*/*');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toContain('text/javascript');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    // The other files of the build keep their hour; the manifest goes with its own type.
    const manifest = await get('/manifest.webmanifest', '*/*');
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    expect(manifest.headers.get('cache-control')).toBe('public, max-age=3600');
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
