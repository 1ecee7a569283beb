import type { Db } from '../db/client.js';
import { keepUp } from '../db/upkeep.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

/** How often the embedded database's tables are looked at (autovacuum's own nap is a minute). */
export const UPKEEP_EVERY_MS = 5 * 60_000;

/**
 * autovacuum's work on the embedded PGlite (db/upkeep.ts): at start, then every few minutes.
 * Its statements go behind the chats (the background pool): each waits until no other query
 * does, then holds the database for one table's vacuum or analyze (at 400,000 messages, the
 * messages table's first vacuum about half a second, an analyze a third of one).
 */
export function startUpkeep(
  db: Db,
  log: Logger,
  metrics: Metrics,
  everyMs = UPKEEP_EVERY_MS,
): { stop(): Promise<void> } {
  let stopped = false;
  let firstCheck = true;
  let running: Promise<void> = Promise.resolve();
  const check = async () => {
    try {
      const done = await keepUp(db, firstCheck, () => stopped);
      firstCheck = false;
      for (const { table, operation, seconds } of done)
        metrics.upkeepDuration.observe({ table, operation }, seconds);
      metrics.upkeepChecks.inc();
      if (done.length > 0)
        log.info(
          { tables: done.map((u) => ({ ...u, seconds: Number(u.seconds.toFixed(3)) })) },
          'embedded database vacuumed and analyzed',
        );
    } catch (error) {
      if (!stopped) log.warn({ err: error }, 'embedded database upkeep failed');
    }
  };
  const run = () => {
    running = running.then(check);
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
