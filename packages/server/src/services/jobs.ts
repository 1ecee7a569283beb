import type {
  EmailSettingsReply,
  Job,
  JobListQuery,
  JobListReply,
  JobReply,
} from '@parley/protocol';
import { findJob, listJobs as listJobRows, requeueFailedJob, type JobRow } from '../db/jobs.js';
import { findUserById } from '../db/users.js';
import { conflict, notFound } from '../errors.js';
import type { AgentActor } from './actor.js';
import type { Context } from '../context.js';
import { decodeCursor, pageOf } from './cursor.js';

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  attempts: r.attempts,
  maxAttempts: r.maxAttempts,
  runAt: r.runAt.toISOString(),
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

export function emailSettings(ctx: Context): EmailSettingsReply {
  const mail = ctx.config.mail;
  return {
    enabled: ctx.email !== undefined,
    from: mail?.from ?? null,
    inboundDomain: mail?.inbound?.domain ?? null,
    unseenDelaySeconds: mail?.unseenDelaySeconds ?? 0,
    waitingAlertSeconds: mail?.waitingAlertSeconds ?? 0,
  };
}

export const EMAIL_OFF =
  'Email is off: set SMTP_URL and MAIL_FROM (see the README) and restart Parley';

/** The admin's check that email works: a short email to their own address, as a job. */
export async function sendTestEmail(ctx: Context, actor: AgentActor): Promise<JobReply> {
  if (!ctx.email) throw conflict(EMAIL_OFF);
  const user = await findUserById(ctx.db, actor.id);
  if (!user) throw notFound('User');
  const job = await ctx.jobs.enqueue('email', {
    to: user.email,
    subject: 'Parley can send email',
    text: `Hello ${user.name},\n\nthis test email shows that Parley reaches you through ${ctx.config.mail?.from ?? 'its mail server'}.\n`,
  });
  return { job: toJob(job) };
}

export async function listJobs(ctx: Context, query: JobListQuery): Promise<JobListReply> {
  const rows = await listJobRows(ctx.db, {
    status: query.status,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => ({
    at: row.createdAt,
    id: row.id,
  }));
  return { items: page.map(toJob), nextCursor };
}

/** An admin runs a failed job again, with its attempts counted afresh. */
export async function retryJob(ctx: Context, id: string): Promise<JobReply> {
  const row = await requeueFailedJob(ctx.db, id);
  if (!row) {
    if (!(await findJob(ctx.db, id))) throw notFound('Job');
    throw conflict('Only a failed job can be retried');
  }
  ctx.jobs.wake();
  return { job: toJob(row) };
}
