import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import { jobs } from './schema.js';
import { uuid7 } from './uuid7.js';

export type JobRow = typeof jobs.$inferSelect;

/** A job with a key replaces the time and payload of a queued one of its kind and key. */
export async function insertJob(
  db: Tx,
  job: { kind: string; payload: unknown; maxAttempts: number; runAt?: Date; key?: string },
): Promise<JobRow> {
  const [row] = await db
    .insert(jobs)
    .values({ id: uuid7(), ...job })
    .onConflictDoUpdate({
      target: [jobs.kind, jobs.key],
      targetWhere: sql`${jobs.status} = 'queued' and ${jobs.key} is not null`,
      set: { runAt: sql`excluded.run_at`, payload: sql`excluded.payload` },
    })
    .returning();
  if (!row) throw new Error('Job insert returned nothing');
  return row;
}

/**
 * Takes up to `limit` jobs that are due: queued ones whose time has come, and running ones
 * whose lease has lapsed (their instance died mid-job). Each is leased for `leaseMs`; rows
 * another instance is claiming at the same moment are skipped, so each job runs once.
 */
export async function claimJobs(db: Tx, limit: number, leaseMs: number): Promise<JobRow[]> {
  const lease = sql`now() + make_interval(secs => ${leaseMs / 1000})`;
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(sql`${jobs.status} in ('queued', 'running')`, sql`${jobs.runAt} <= now()`))
    .orderBy(jobs.runAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(jobs)
    .set({ status: 'running', attempts: sql`${jobs.attempts} + 1`, runAt: lease })
    .where(sql`${jobs.id} in ${due}`)
    .returning();
}

/** When the next queued or leased job is due; null when there is none. */
export async function nextDueAt(db: Tx): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`min(${jobs.runAt})`.mapWith(jobs.runAt) })
    .from(jobs)
    .where(sql`${jobs.status} in ('queued', 'running')`);
  return row?.at ?? null;
}

/** Done: what it carried (an email, a reset link) is not kept past its use. */
export async function completeJob(db: Tx, id: string): Promise<void> {
  await db
    .update(jobs)
    .set({ status: 'done', finishedAt: sql`now()`, lastError: null, payload: {} })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'running')));
}

/** Queued again after `retryInMs`, or failed for good once its attempts are spent. */
export async function failJob(db: Tx, id: string, error: string, retryInMs: number) {
  const spent = sql`${jobs.attempts} >= ${jobs.maxAttempts}`;
  await db
    .update(jobs)
    .set({
      status: sql`case when ${spent} then 'failed' else 'queued' end`,
      runAt: sql`now() + make_interval(secs => ${retryInMs / 1000})`,
      finishedAt: sql`case when ${spent} then now() end`,
      lastError: error,
    })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'running')));
}

/** A failed job, queued again now with a fresh set of attempts (an admin's retry). */
export async function requeueFailedJob(db: Tx, id: string): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({ status: 'queued', attempts: 0, runAt: sql`now()`, finishedAt: null })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'failed')))
    .returning();
  return row ?? null;
}

export async function findJob(db: Tx, id: string): Promise<JobRow | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row ?? null;
}

/** Newest first; the cursor is the last row's (createdAt, id). */
export async function listJobs(
  db: Tx,
  opts: { status?: JobRow['status']; after?: KeysetPosition; limit: number },
): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(
      and(
        opts.status ? eq(jobs.status, opts.status) : undefined,
        after(jobs.createdAt, jobs.id, opts.after),
      ),
    )
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(opts.limit);
}
