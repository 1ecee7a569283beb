import { existsSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import { notFound } from '../errors.js';
import type { Logger } from '../logger.js';

// Paths the SPA must never answer: they belong to the API, sockets, the widget and probes,
// and a 404 there must stay a 404 rather than become the dashboard's HTML.
const NOT_THE_DASHBOARD = /^\/(api|socket\.io|widget|demo|healthz|readyz|metrics)(\/|$)/;

/** Where `npm run build -w @parley/dashboard` left the app: next to the server's bundle or source. */
function findDashboard(): string | null {
  const candidates = [
    process.env.PARLEY_DASHBOARD_DIR,
    fileURLToPath(new URL('../../dashboard/dist', import.meta.url)), // packages/server/dist/main.js
    fileURLToPath(new URL('../../../dashboard/dist', import.meta.url)), // packages/server/src/http/*.ts
  ];
  return (
    candidates.find((dir): dir is string => Boolean(dir && existsSync(join(dir, 'index.html')))) ??
    null
  );
}

const immutableAsset = { immutable: true, maxAge: '1y' } as const;

// The build writes `.br` and `.gz` beside each script and stylesheet (vite.config.ts).
const compressedTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const suffixes = { br: '.br', gzip: '.gz' } as const;

/**
 * A script or stylesheet as the build compressed it, in the best encoding the browser accepts;
 * anything else (or a build without the compressed copies) falls through to the plain file.
 */
function precompressed(assets: string): RequestHandler {
  return (req, res, next) => {
    const type = compressedTypes[extname(req.path)];
    if (!type || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.vary('Accept-Encoding');
    // Brotli first: browsers list gzip first at equal weight, yet br is the smaller file.
    const encoding = req.acceptsEncodings('br') || req.acceptsEncodings('gzip');
    if (encoding !== 'br' && encoding !== 'gzip') return next();
    const headers = { 'Content-Type': type, 'Content-Encoding': encoding };
    // Once headers are out (a client that went away mid-file), there is nothing left to answer.
    res.sendFile(
      req.path + suffixes[encoding],
      { root: assets, headers, ...immutableAsset },
      (err) => {
        if (err && !res.headersSent) next();
      },
    );
  };
}

/**
 * The agents' dashboard at `/`: hashed assets cached for a year, `index.html` and the service
 * worker (`sw.js`) never cached (they name the current assets and offline page), the other
 * files of the build (the manifest, icons, offline page) for an hour, and any other GET path
 * answered with `index.html` so that client routes such as /conversations/:id survive a reload.
 */
export function dashboardRouter(log: Logger): Router {
  const router = Router();
  const dir = findDashboard();
  if (!dir) {
    log.warn('dashboard build not found: run `npm run build -w @parley/dashboard`');
    return router;
  }
  const index = join(dir, 'index.html');
  const assets = join(dir, 'assets');
  router.use('/assets', precompressed(assets));
  router.use('/assets', express.static(assets, { ...immutableAsset, index: false }));
  // A stale tab asking for an asset of an older build gets a 404, not the app's HTML.
  router.use('/assets', (_req, _res, next) => next(notFound('Asset')));
  router.use(
    express.static(dir, {
      index: false,
      maxAge: '1h',
      // The service worker is checked on each visit, so that a new build's takes over at once.
      setHeaders: (res, path) => {
        if (relative(dir, path) === 'sw.js') res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
  router.get(/.*/, (req, res, next) => {
    if (NOT_THE_DASHBOARD.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
