import type { Db, Tx } from '../db/client.js';
import { claimJobs, completeJob, failJob, insertJob, nextDueAt, type JobRow } from '../db/jobs.js';
import type { Logger } from '../logger.js';
import type { AnyJobHandler, JobKind, JobPayloads } from './kinds.js';

/** Jobs run side by side on one instance. */
const CONCURRENCY = 4;
/**
 * An idle instance sleeps until the next job it knows of is due (a retry, a delayed email), and
 * at most this long, for jobs another instance stored and could not run (it died).
 */
const IDLE_POLL_MS = 30_000;
/** A running job is claimed again this long after its instance last had it. */
const LEASE_MS = 5 * 60_000;
/** The first retry waits this long, each next one twice as long, up to an hour. */
const FIRST_RETRY_MS = 10_000;
const LAST_RETRY_MS = 3_600_000;

const retryDelay = (attempts: number) =>
  Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));

/**
 * The queue of durable background work, kept in the database (docs/architecture.md "Outlets
 * and jobs"): a job is stored before anything is attempted, so it survives a restart; each
 * instance claims due jobs with FOR UPDATE SKIP LOCKED, so each runs once; a failure is retried
 * with a growing delay, and after its last attempt the job is failed, with its error, for an
 * admin to see and retry.
 */
export class JobQueue {
  private readonly handlers = new Map<string, AnyJobHandler>();
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires: an earlier job enqueued here moves it. */
  private timerAt = Infinity;
  private idleMs = IDLE_POLL_MS;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** The kinds this instance runs (jobs/index.ts registers them all); before `start`. */
  register(...handlers: AnyJobHandler[]): void {
    for (const h of handlers) this.handlers.set(h.kind, h);
  }

  /** Whether this instance runs jobs of a kind (email's kinds only when email is on). */
  handles(kind: JobKind): boolean {
    return this.handlers.has(kind);
  }

  /**
   * Stores a job of a kind this queue handles; it runs at `runAt` (default now) as soon as a
   * worker is free. In `tx`, it exists once the transaction commits, with what else it wrote.
   * With a `key`, a queued job of the same kind and key is moved to the new time instead.
   */
  async enqueue<K extends JobKind>(
    kind: K,
    payload: JobPayloads[K],
    opts: { tx?: Tx; runAt?: Date; key?: string } = {},
  ): Promise<JobRow> {
    const handler = this.handlers.get(kind);
    if (!handler) throw new Error(`No handler registered for jobs of kind ${kind}`);
    const row = await insertJob(opts.tx ?? this.db, {
      kind,
      payload,
      maxAttempts: handler.maxAttempts,
      runAt: opts.runAt,
      key: opts.key,
    });
    this.wakeAt(row.runAt.getTime());
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
    this.timerAt = Infinity;
    this.running = this.drain()
      .catch((error: unknown) => {
        this.idleMs = 1_000;
        this.log.warn({ err: error }, 'job queue: claiming failed');
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) return this.wake();
        this.wakeAt(Date.now() + this.idleMs);
      });
  }

  /** Looks for due jobs at `at` (or now, if that is past), unless it will look sooner. */
  private wakeAt(at: number): void {
    if (this.stopped) return;
    if (this.running) {
      if (at <= Date.now()) this.again = true;
      return; // the drain in progress schedules its next look from the database's next due job
    }
    if (at >= this.timerAt) return;
    if (at <= Date.now()) return this.wake();
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.wake(), at - Date.now());
    this.timer.unref();
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
    const next = await nextDueAt(this.db);
    // At least a moment: a due job another instance is claiming right now is skipped, not waited on.
    this.idleMs = Math.max(100, Math.min(IDLE_POLL_MS, (next?.getTime() ?? Infinity) - Date.now()));
  }

  private async runOne(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`No handler for jobs of kind ${job.kind}`);
      // The payload was stored by `enqueue` for this kind.
      await (handler.run as (payload: unknown) => Promise<void>)(job.payload);
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
