import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import type { Server as SocketServer } from 'socket.io';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import type { EmbeddedPglite } from './db/embedded.js';
import { apiRouter } from './http/api.js';
import { dashboardRouter } from './http/dashboard.js';
import { errorHandler } from './http/errors.js';
import { allowedOriginsOnly } from './http/origin.js';
import { widgetRoutes } from './http/widget.js';
import type { Logger } from './logger.js';
import { healthRoutes, type HealthState } from './ops/health.js';
import { Metrics } from './ops/metrics.js';
import { serveControl } from './ops/control.js';
import { startUpkeep } from './ops/upkeep.js';
import { attachRealtime } from './realtime/index.js';
import type { Context } from './context.js';
import { DomainEvents } from './services/events.js';
import { LocalPresence } from './services/presence.js';
import { markReapedOffline, resetPresence } from './services/presence-events.js';
import { RedisPresence } from './services/redis-presence.js';
import { LocalRateLimiter, NoRateLimiter, RedisRateLimiter } from './services/rate-limit.js';
import { SessionRevocations } from './services/session-revocations.js';
import { createMail } from './email/mail.js';
import { openStorage } from './files/open-storage.js';
import { fileRoutes } from './http/files.js';
import { registerJobs, registerPushJob } from './jobs/index.js';
import { scheduleRetentionTurns } from './jobs/retention.js';
import { scheduleSweeps } from './jobs/sweep-uploads.js';
import { startOutlets } from './outlets/index.js';
import { dashboardViews } from './realtime/dashboard-views.js';
import { loadPushKeys } from './services/push-sender.js';
import { JobQueue } from './queue/queue.js';
import { Tokens } from './services/tokens.js';

export type ParleyServer = {
  url: string;
  port: number;
  ctx: Context;
  /** The Express app: its router lists every route (the boundary walk reads it). */
  app: express.Express;
  http: HttpServer;
  io: SocketServer;
  database: Database;
  /** Graceful: stop accepting, finish in-flight requests, close sockets, close the database. */
  close(): Promise<void>;
};

export const JSON_BODY_LIMIT = '100kb';
// Request ids from a proxy are kept if they look like ids; anything else is replaced.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** A request as pino-http serialised it, less its query (in the URL and on its own). */
function withoutQuery(req: { url?: string; query?: unknown }) {
  const { query: _query, ...rest } = req;
  return { ...rest, url: req.url?.split('?')[0] };
}

/**
 * Opens the database (migrating it) and Redis if configured, builds the HTTP and socket
 * servers, and listens. Tests pass an open `database` to reuse it; it is then left open.
 * main.ts passes the embedded PGlite it has started already, as `embedded`.
 */
export async function startServer(
  config: Config,
  log: Logger,
  opts: { database?: Database; embedded?: Promise<EmbeddedPglite> } = {},
): Promise<ParleyServer> {
  const metrics = new Metrics();
  const database =
    opts.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
      embedded: opts.embedded,
      onQuery: (seconds) => metrics.dbQueryDuration.observe(seconds),
    }));
  // ioredis is loaded only for a cluster (REDIS_URL), like the S3 SDK and email's packages.
  const { redisUrl } = config;
  const redis = redisUrl
    ? await import('./redis.js').then(({ openRedis }) => openRedis(redisUrl))
    : undefined;
  const tokens = await Tokens.create(database.db, config.jwtSecret);
  const revocations = await SessionRevocations.start(
    database.db,
    log,
    redis && { client: redis, prefix: config.redisPrefix },
  );
  const events = new DomainEvents();
  const rateLimiter = !config.rateLimits
    ? new NoRateLimiter()
    : redis
      ? new RedisRateLimiter(redis, config.redisPrefix)
      : new LocalRateLimiter();
  const redisPresence = redis
    ? new RedisPresence(redis, config.redisPrefix, (reaped) => markReapedOffline(ctx, reaped))
    : undefined;
  // The one composition root: every part exists before the context that holds them.
  const ctx: Context = {
    db: database.db,
    backgroundDb: database.backgroundDb,
    config,
    log,
    events,
    presence: redisPresence ?? new LocalPresence(),
    tokens,
    revocations,
    metrics,
    rateLimiter,
    jobs: new JobQueue(database.db, log),
    files: await openStorage(config),
    email: config.mail && createMail(config.mail, tokens),
    push: await loadPushKeys(database.db, config),
  };
  registerJobs(ctx);
  // Alone on the database (embedded, or the first instance of a cluster): nobody is connected.
  const alone = redisPresence ? await redisPresence.start() : true;
  if (alone) await resetPresence(ctx);

  const state: HealthState = { shuttingDown: false };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Strict CSP from Helmet's defaults (scripts from this origin only, no inline scripts).
  // HTTPS-only directives only where HTTPS is known: on plain HTTP in a LAN they break pages.
  app.use(
    helmet({
      hsts: Boolean(config.tls),
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.tls ? [] : null } },
    }),
  );
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // A request is logged by its path: a query may carry what must not reach a log (a signed
      // download link's signature, a search for someone's email address).
      serializers: { req: withoutQuery },
    }),
  );
  app.use(metrics.httpMiddleware());
  app.use(
    healthRoutes({
      db: database.db,
      redis,
      files: ctx.files,
      metrics,
      metricsToken: config.metricsToken,
      state,
    }),
  );
  app.use(fileRoutes(ctx));
  app.use(widgetRoutes(ctx));
  app.use(
    '/api',
    allowedOriginsOnly(config.dashboardOrigins),
    express.json({ limit: JSON_BODY_LIMIT }),
    cookieParser(),
    apiRouter(ctx),
  );
  app.use(dashboardRouter(log));
  app.use(errorHandler(log));

  const http = config.tls
    ? createHttpsServer(
        { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) },
        app,
      )
    : createServer(app);
  const { io, agents, visitors } = attachRealtime(
    ctx,
    http,
    redis && { client: redis, prefix: config.redisPrefix },
  );
  // Pushes ask the sockets whether a dashboard is in view: registered once these exist.
  registerPushJob(ctx, dashboardViews(agents));
  startOutlets(ctx, { agents, visitors });
  metrics.countSockets = () => ({
    '/agent': agents.sockets.size,
    '/visitor': visitors.sockets.size,
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  ctx.jobs.start();
  const stopSweeps = scheduleSweeps(ctx.jobs);
  const stopRetention = scheduleRetentionTurns(ctx);
  // PGlite has no autovacuum; a database passed in (tests) is its owner's to look after.
  const upkeep =
    database.kind === 'pglite' && !opts.database
      ? startUpkeep(database.backgroundDb, log, metrics)
      : undefined;
  // A backup of the running embedded database asks for its snapshot here (docs/operations.md).
  if (database.claim && !opts.database)
    serveControl(database.claim, database, {
      dataDir: config.dataDir,
      filesStore: ctx.files.kind,
      log,
    });
  // Loaded only when replies come back by email: mailparser and smtp-server are large.
  const mail = ctx.email;
  const inbound = mail?.replies
    ? await import('./email/inbound.js').then(({ startInbound }) => startInbound(ctx, mail))
    : undefined;
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const scheme = config.tls ? 'https' : 'http';

  let closing: Promise<void> | undefined;
  const close = () => (
    stopSweeps(),
    stopRetention(),
    (closing ??= Promise.all([
      shutdown({
        http,
        io,
        state,
        redis,
        presence: redisPresence,
        revocations,
        jobs: ctx.jobs,
        inbound,
        config,
      }),
      upkeep?.stop(),
    ]).then(() => (opts.database ? undefined : database.close())))
  );

  return { url: `${scheme}://${host}:${port}`, port, ctx, app, http, io, database, close };
}

async function shutdown(s: {
  http: HttpServer;
  io: SocketServer;
  state: HealthState;
  redis: Redis | undefined;
  presence: RedisPresence | undefined;
  revocations: SessionRevocations;
  jobs: JobQueue;
  inbound: { close(): Promise<void> } | undefined;
  config: Config;
}): Promise<void> {
  s.state.shuttingDown = true;
  // No new connections; in-flight requests finish, up to the timeout.
  const drained = new Promise<void>((resolve) => s.http.close(() => resolve()));
  // Closing the transports (not a Socket.io disconnect, which tells clients not to come back)
  // makes every client of this instance reconnect by itself, to another instance.
  s.io.engine.close();
  s.http.closeIdleConnections();
  const timeout = new Promise<void>((resolve) =>
    setTimeout(resolve, s.config.shutdownTimeoutMs).unref(),
  );
  await Promise.race([drained, timeout]);
  s.http.closeAllConnections();
  await new Promise<void>((resolve) => s.io.close(() => resolve()));
  await s.inbound?.close();
  await s.jobs.stop();
  await s.presence?.close();
  await s.revocations.stop();
  await s.redis?.quit().catch(() => {});
}
