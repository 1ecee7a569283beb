import { startServer } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

const started = performance.now();
const config = loadConfig();
const log = createLogger(config.logLevel, !config.production && process.stdout.isTTY);

try {
  const server = await startServer(config, log);
  log.info(
    {
      port: server.port,
      database: server.database.kind,
      startupMs: Math.round(performance.now() - started),
    },
    `Parley is listening on ${server.url}`,
  );
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (err) {
  log.fatal({ err }, 'failed to start');
  process.exit(1);
}
