import type { Context } from '../context.js';
import type { JobHandler } from '../queue/kinds.js';
import { retentionTurn, scheduleRetention } from '../services/retention.js';

const EVERY_MS = 60 * 60_000;

/**
 * A turn of retention (services/retention.ts): what expired is deleted in small batches; while
 * some is left, the next turn is queued at once, so a restart goes on where it stopped.
 */
export function retentionJob(ctx: Context): JobHandler<'retention'> {
  return {
    kind: 'retention',
    maxAttempts: 5,
    async run() {
      const { more, run } = await retentionTurn(ctx);
      if (more) await scheduleRetention(ctx, new Date());
      else if (run?.finishedAt) ctx.log.info({ run }, 'retention: expired data deleted');
    },
  };
}

/** Queues a turn now and every hour; keyed, so instances share one queued turn. */
export function scheduleRetentionTurns(ctx: Context) {
  const queue = () => void scheduleRetention(ctx, new Date()).catch(() => {});
  queue();
  const timer = setInterval(queue, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
