import {
  defaultRetentionSettings,
  RetentionRun,
  RetentionSettings,
  type RetentionSettingsPatch,
  type RetentionSettingsReply,
} from '@parley/protocol';
import type { Tx } from '../db/client.js';
import {
  expireConversations,
  expireAuditEvents,
  expireDoneJobs,
  expireIdleVisitors,
  expireWebhookLog,
  noCounts,
  type Batch,
  type BatchCounts,
} from '../db/retention.js';
import { getSetting, putSetting } from '../db/settings.js';
import { requireAdmin, requireWrite, type AgentActor } from './actor.js';
import { changeOf, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';

// Retention (issue 35): how long Parley keeps what it holds, and the job that deletes what
// expired. The job runs every hour (and at once after a change), in small batches: on
// PostgreSQL one short transaction each; on PGlite, which runs one statement at a time for
// everyone, statement by statement behind the chats' queries (db/retention.ts). After each
// batch the database is left to the chats at least as long as the batch took. A turn stops
// after TURN_MS and queues the next turn at once: the work is durable in the jobs table, and a
// restart goes on where it stopped.

const SETTINGS = 'retention';
const LAST_RUN = 'retention.run';

/** Rows per transaction: a conversation's content is about 20 messages. */
export const BATCH = {
  conversations: 20,
  visitors: 100,
  webhookLog: 200,
  doneJobs: 500,
  auditEvents: 500,
};
/** The database is left to the chats this long after each batch, or as long as it took. */
export const PAUSE_MS = 20;
/** A turn of the job lasts about this long; the next is queued at once if work remains. */
const TURN_MS = 10_000;

export async function getRetentionSettings(db: Tx): Promise<RetentionSettings> {
  const stored = await getSetting(db, SETTINGS);
  const parsed = RetentionSettings.safeParse({
    ...defaultRetentionSettings,
    ...(typeof stored === 'object' ? stored : {}),
  });
  return parsed.success ? parsed.data : defaultRetentionSettings;
}

async function lastRun(db: Tx): Promise<RetentionRun | null> {
  const parsed = RetentionRun.safeParse(await getSetting(db, LAST_RUN));
  return parsed.success ? parsed.data : null;
}

export async function readRetention(
  ctx: Context,
  actor: AgentActor,
): Promise<RetentionSettingsReply> {
  requireAdmin(actor);
  const [settings, run] = await Promise.all([getRetentionSettings(ctx.db), lastRun(ctx.db)]);
  return { settings, lastRun: run };
}

/** Changes the periods, records who did, and starts a run at once. */
export async function patchRetention(
  ctx: Context,
  actor: AgentActor,
  patch: RetentionSettingsPatch,
  origin: RequestOrigin,
): Promise<RetentionSettingsReply> {
  requireAdmin(actor);
  requireWrite(actor);
  const before = await getRetentionSettings(ctx.db);
  const next = { ...before, ...patch };
  await putSetting(ctx.db, SETTINGS, next);
  await recordAudit(ctx, actor, origin, 'retention.changed', SETTINGS, changeOf(before, next));
  await scheduleRetention(ctx, new Date());
  return { settings: next, lastRun: await lastRun(ctx.db) };
}

/** Queues the job's next turn; keyed, so instances share one queued turn. */
export function scheduleRetention(ctx: Context, runAt: Date) {
  return ctx.jobs.enqueue('retention', {}, { key: 'retention', runAt });
}

const add = (a: BatchCounts, b: BatchCounts): BatchCounts => ({
  conversations: a.conversations + b.conversations,
  messages: a.messages + b.messages,
  files: a.files + b.files,
  visitors: a.visitors + b.visitors,
  webhookDeliveries: a.webhookDeliveries + b.webhookDeliveries,
  jobs: a.jobs + b.jobs,
  auditEvents: a.auditEvents + b.auditEvents,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One turn of the job: each kind of expired data in batches until none is left or the turn's
 * time is up. Returns whether work remains. The run's figures are kept after every batch (a run
 * is the turns from the first that found work to the one that found none left).
 */
export async function retentionTurn(
  ctx: Context,
  opts: { turnMs?: number; pauseMs?: number } = {},
): Promise<{ more: boolean; run: RetentionRun | null }> {
  const until = Date.now() + (opts.turnMs ?? TURN_MS);
  const pause = opts.pauseMs ?? PAUSE_MS;
  const settings = await getRetentionSettings(ctx.db);
  const steps: Array<[number, (tx: Tx) => Promise<Batch>]> = [];
  const { closedConversationDays: chats, idleVisitorDays: idle } = settings;
  if (chats !== null) {
    steps.push([BATCH.conversations, (tx) => expireConversations(tx, chats, BATCH.conversations)]);
  }
  if (idle !== null) {
    steps.push([BATCH.visitors, (tx) => expireIdleVisitors(tx, idle, BATCH.visitors)]);
  }
  steps.push(
    [BATCH.webhookLog, (tx) => expireWebhookLog(tx, settings.webhookLogDays, BATCH.webhookLog)],
    [BATCH.doneJobs, (tx) => expireDoneJobs(tx, settings.doneJobDays, BATCH.doneJobs)],
    [BATCH.auditEvents, (tx) => expireAuditEvents(tx, settings.auditLogDays, BATCH.auditEvents)],
  );
  let run = await lastRun(ctx.db);
  // PGlite's background queries go behind the chats' (db/client.ts); PostgreSQL's are `db`.
  const oneSession = ctx.backgroundDb !== ctx.db;
  for (const [size, step] of steps) {
    for (;;) {
      const started = Date.now();
      const { taken, counts } = oneSession
        ? await step(ctx.backgroundDb)
        : await ctx.db.transaction(step);
      const took = Date.now() - started;
      const found = Object.values(counts).some((n) => n > 0);
      if (found) {
        // A new run begins with the first batch that finds anything after the last one ended.
        const base =
          run && run.finishedAt === null
            ? run
            : { startedAt: new Date().toISOString(), finishedAt: null, ...noCounts() };
        run = { ...base, ...add(base, counts) };
        await putSetting(ctx.db, LAST_RUN, run);
        ctx.jobs.wake();
      }
      // The last batch of a kind is the one that found fewer than it could take.
      if (taken < size) break;
      if (Date.now() > until) return { more: true, run };
      await sleep(Math.max(pause, pause && took));
    }
  }
  if (run && run.finishedAt === null) {
    run = { ...run, finishedAt: new Date().toISOString() };
    await putSetting(ctx.db, LAST_RUN, run);
  }
  return { more: false, run };
}
