import { startServer } from './app.js';
import type { Config } from './config.js';
import type { EmbeddedPglite } from './db/embedded.js';
import { createLogger } from './logger.js';

/**
 * Starts Parley (on `embedded` when main.ts has started PGlite already), says that it listens
 * and how long the start took since `started`, and stops it cleanly on SIGTERM or SIGINT.
 */
export async function run(
  config: Config,
  started: number,
  embedded: Promise<EmbeddedPglite> | undefined,
): Promise<void> {
  const log = createLogger(config.logLevel, !config.production && process.stdout.isTTY);
  try {
    const server = await startServer(config, log, { embedded });
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
}
