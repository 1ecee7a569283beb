import { sql } from 'drizzle-orm';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { FileStorage } from '../files/storage.js';
import type { Metrics } from './metrics.js';

export type HealthState = { shuttingDown: boolean };

const reachable = (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
  ]);

/**
 * `/healthz`: the process is alive. `/readyz`: it can serve (database and Redis reachable, not
 * shutting down); load balancers route by it. `/metrics`: Prometheus, optionally behind a token.
 */
export function healthRoutes(opts: {
  db: Db;
  redis: Redis | undefined;
  files: FileStorage;
  metrics: Metrics;
  metricsToken: string | undefined;
  state: HealthState;
}): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [database, redis, files] = await Promise.all([
      reachable(opts.db.execute(sql`select 1`)),
      opts.redis ? reachable(opts.redis.ping()) : Promise.resolve(undefined),
      reachable(opts.files.check()),
    ]);
    const ready = database && redis !== false && files && !opts.state.shuttingDown;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : opts.state.shuttingDown ? 'shutting_down' : 'unavailable',
      database,
      ...(redis === undefined ? {} : { redis }),
      files: { storage: opts.files.kind, reachable: files },
    });
  });

  router.get('/metrics', async (req, res) => {
    if (opts.metricsToken && req.headers.authorization !== `Bearer ${opts.metricsToken}`) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'Metrics token required' } });
      return;
    }
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });

  return router;
}
