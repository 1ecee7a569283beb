import type { Db, Tx } from '../db/client.js';
import { claimJobs, completeJob, failJob, insertJob, type JobRow } from '../db/jobs.js';
import type { Logger } from '../logger.js';

/** One kind of job: its handler file (jobs/<kind>.ts) exports one of these. */
export type JobHandler<P = unknown> = {
  kind: string;
  /** Tries in all before the job is failed for good (an admin may retry it then). */
  maxAttempts: number;
  /** Throws to be retried; what it throws is kept as the job's last error. */
  run(payload: P): Promise<void>;
};

/** Jobs run side by side on one instance. */
const CONCURRENCY = 4;
/** How often an idle instance looks for due jobs (another instance's, or a retry's). */
const POLL_MS = 1_000;
/** A running job is claimed again this long after its instance last had it. */
const LEASE_MS = 5 * 60_000;
/** The first retry waits this long, each next one twice as long, up to an hour. */
const FIRST_RETRY_MS = 10_000;
const LAST_RETRY_MS = 3_600_000;

const retryDelay = (attempts: number) =>
  Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));

/**
 * The queue of durable background work, kept in the database (ARCHITECTURE.md "Growing the
 * house"): a job is stored before anything is attempted, so it survives a restart; each
 * instance claims due jobs with FOR UPDATE SKIP LOCKED, so each runs once; a failure is retried
 * with a growing delay, and after its last attempt the job is failed, with its error, for an
 * admin to see and retry.
 */
export class JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** The kinds this instance runs; before `start`. */
  register(...handlers: JobHandler<never>[]): void {
    for (const h of handlers) this.handlers.set(h.kind, h as JobHandler);
  }

  /**
   * Stores a job of a kind this queue handles; it runs at `runAt` (default now) as soon as a
   * worker is free. In `tx`, it exists once the transaction commits, with what else it wrote.
   * With a `key`, a queued job of the same kind and key is moved to the new time instead.
   */
  async enqueue<P>(
    handler: JobHandler<P>,
    payload: P,
    opts: { tx?: Tx; runAt?: Date; key?: string } = {},
  ): Promise<JobRow> {
    if (this.handlers.get(handler.kind) !== (handler as JobHandler)) {
      throw new Error(`No handler registered for jobs of kind ${handler.kind}`);
    }
    const row = await insertJob(opts.tx ?? this.db, {
      kind: handler.kind,
      payload,
      maxAttempts: handler.maxAttempts,
      runAt: opts.runAt,
      key: opts.key,
    });
    if (!opts.runAt || opts.runAt.getTime() <= Date.now()) this.wake();
    return row;
  }

  /** Starts looking for due jobs; with no kind to run (email off), it never needs to. */
  start(): void {
    if (this.handlers.size === 0) return;
    this.stopped = false;
    this.wake();
  }

  /** Looks for due jobs now, rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((error: unknown) => this.log.warn({ err: error }, 'job queue: claiming failed'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) return this.wake();
        this.timer = setTimeout(() => this.wake(), POLL_MS);
        this.timer.unref();
      });
  }

  /** No new jobs are claimed; the ones running finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      const claimed = await claimJobs(this.db, CONCURRENCY, LEASE_MS);
      await Promise.all(claimed.map((job) => this.runOne(job)));
      if (claimed.length === CONCURRENCY) this.again = true;
    } while (this.again && !this.stopped);
  }

  private async runOne(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`No handler for jobs of kind ${job.kind}`);
      await handler.run(job.payload);
      await completeJob(this.db, job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(
        { job: job.id, kind: job.kind, attempt: job.attempts, err: message },
        'job failed',
      );
      await failJob(this.db, job.id, message.slice(0, 2000), retryDelay(job.attempts));
    }
  }
}
