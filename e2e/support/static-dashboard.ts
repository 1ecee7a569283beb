import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './server.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/**
 * The dashboard as a static host (Vercel, Netlify) would deploy it: built with
 * VITE_PARLEY_API_URL pointing at the Parley server, into a folder of its own.
 */
export async function buildDashboard(apiUrl: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'parley-dashboard-'));
  await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: join(repoRoot, 'packages/dashboard'),
      env: { ...process.env, VITE_PARLEY_API_URL: apiUrl },
    },
  );
  return outDir;
}

/**
 * Serves a built single-page app from http://127.0.0.1:<port>: files as they are, any other
 * path as index.html (client routes), no CSP of its own.
 */
export async function serveDashboard(
  dir: string,
  port: number,
): Promise<{ origin: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(dir, path);
    const found = file.startsWith(dir) && extname(file) !== '' && existsSync(file);
    const served = found ? file : join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream' });
    res.end(readFileSync(served));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
