import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
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

/**
 * The agents' dashboard at `/`: hashed assets cached for a year, `index.html` never cached (it
 * names the current assets), and any other GET path answered with `index.html` so that client
 * routes such as /conversations/:id survive a reload.
 */
export function dashboardRouter(log: Logger): Router {
  const router = Router();
  const dir = findDashboard();
  if (!dir) {
    log.warn('dashboard build not found: run `npm run build -w @parley/dashboard`');
    return router;
  }
  const index = join(dir, 'index.html');
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  // A stale tab asking for an asset of an older build gets a 404, not the app's HTML.
  router.use('/assets', (_req, _res, next) => next(notFound('Asset')));
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
  router.get(/.*/, (req, res, next) => {
    if (NOT_THE_DASHBOARD.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
