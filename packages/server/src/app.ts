import { createServer, type Server as HttpServer } from 'node:http';
import cookieParser from 'cookie-parser';
import { sql } from 'drizzle-orm';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Server as SocketServer } from 'socket.io';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { apiRouter } from './http/api.js';
import { errorHandler } from './http/errors.js';
import { widgetRoutes } from './http/widget.js';
import type { Logger } from './logger.js';
import { attachRealtime } from './realtime/index.js';
import type { Context } from './services/context.js';
import { DomainEvents } from './services/events.js';
import { Presence } from './services/presence.js';
import { resetPresence } from './services/presence-events.js';
import { Tokens } from './services/tokens.js';

export type ParleyServer = {
  url: string;
  port: number;
  ctx: Context;
  http: HttpServer;
  io: SocketServer;
  database: Database;
  close(): Promise<void>;
};

export const JSON_BODY_LIMIT = '100kb';

/**
 * Opens the database (migrating it), builds the HTTP and socket servers, and listens.
 * Tests pass an open `database` to reuse it across servers; it is then left open on close.
 */
export async function startServer(
  config: Config,
  log: Logger,
  opts: { database?: Database } = {},
): Promise<ParleyServer> {
  const database =
    opts.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
    }));
  const ctx: Context = {
    db: database.db,
    config,
    log,
    events: new DomainEvents(),
    presence: new Presence(),
    tokens: await Tokens.create(database.db, config.jwtSecret),
  };
  if (database.kind === 'pglite') await resetPresence(ctx);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(helmet());
  app.use(pinoHttp({ logger: log, autoLogging: { ignore: (req) => req.url === '/healthz' } }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await database.db.execute(sql`select 1`).then(
      () => true,
      () => false,
    );
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', database: ok });
  });
  app.use(widgetRoutes(ctx));
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT }), cookieParser(), apiRouter(ctx));
  app.use(errorHandler(log));

  const http = createServer(app);
  const io = attachRealtime(ctx, http);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await io.close(); // disconnects every socket; clients reconnect elsewhere
      http.closeAllConnections();
      if (!opts.database) await database.close();
    })());

  return { url: `http://${host}:${port}`, port, ctx, http, io, database, close };
}
