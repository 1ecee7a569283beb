import { deleteUnattached } from '../db/attachments.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { JobHandler } from '../queue/kinds.js';
import type { JobQueue } from '../queue/queue.js';

/** An upload not sent in a message within this long is removed. */
export const UNSENT_UPLOAD_HOURS = 24;
const EVERY_MS = 60 * 60_000;

/**
 * The hourly housekeeping: removes uploads never attached to a message (a tab closed before
 * Send). Done jobs go by retention (services/retention.ts), after the days an admin sets.
 */
export function sweepUploadsJob(db: Db, log: Logger): JobHandler<'sweep-uploads'> {
  return {
    kind: 'sweep-uploads',
    maxAttempts: 3,
    async run() {
      const removed = await deleteUnattached(db, UNSENT_UPLOAD_HOURS);
      if (removed) log.info({ removed }, 'unsent uploads removed');
    },
  };
}

/** Queues the sweep now and every hour; keyed, so instances share one queued sweep. */
export function scheduleSweeps(jobs: JobQueue) {
  const queue = () =>
    void jobs.enqueue('sweep-uploads', {}, { key: 'hourly', runAt: new Date() }).catch(() => {});
  queue();
  const timer = setInterval(queue, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
