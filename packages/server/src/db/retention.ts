import { sql, type SQL } from 'drizzle-orm';
import { DAY_MS, rollUp } from './analytics.js';
import { rowsOf, type Tx } from './client.js';
import { eraseRows } from './erasure.js';

// Retention's batches (issue 35; services/retention.ts runs them). On PostgreSQL each is one
// short transaction: rows are found oldest first through an index of their own, locked with
// SKIP LOCKED (two instances take different batches), and deleted through the map of personal
// data (db/personal-data.ts), as erasure deletes them. On PGlite, one session for everyone, the
// same statements run one by one, each behind the chats' queries, so that a chat waits for one
// statement at most rather than a batch: each step can be done again, and the last one, which
// marks a conversation expired, deletes in the same statement whatever was added meanwhile.

const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** What one batch deleted, by the names the retention run adds up. */
export type BatchCounts = {
  conversations: number;
  messages: number;
  files: number;
  visitors: number;
  webhookDeliveries: number;
  jobs: number;
  auditEvents: number;
};

/** A batch: how many of the rows it looks for it took (fewer than asked: the last one). */
export type Batch = { taken: number; counts: BatchCounts };

export const noCounts = (): BatchCounts => ({
  conversations: 0,
  messages: 0,
  files: 0,
  visitors: 0,
  webhookDeliveries: 0,
  jobs: 0,
  auditEvents: 0,
});

/**
 * Up to `size` conversations closed before `days` ago lose their content: messages (with their
 * search entries), files (their bytes go by the delete-file job the attachments' trigger
 * queues), queued emails and webhook deliveries about them, tags, notes and the rating's
 * comment. The row stays with what the reports count (times, site, team, agent, rating).
 */
export async function expireConversations(tx: Tx, days: number, size: number): Promise<Batch> {
  const ids = (
    await rowsOf<{ id: string }>(
      tx,
      sql`select id from conversations
        where closed_at < now() - make_interval(days => ${days}) and expired_at is null
          and status = 'closed' and last_message_at < now() - make_interval(days => ${days})
        order by closed_at limit ${size} for update skip locked`,
    )
  ).map((r) => r.id);
  const counts = noCounts();
  if (ids.length === 0) return { taken: 0, counts };
  // The reports count messages from daily roll-ups: their days are rolled up before they go
  // (days over for longer than a day, as every message here is). A conversation's messages
  // are from its start to its last message: read from the conversations, as min() and max()
  // of the messages' times would walk the index on created_at from one end (240 ms at 400k).
  const [span] = await rowsOf<{ first: number | null; last: number | null }>(
    tx,
    sql`select (extract(epoch from min(created_at)) * 1000)::float8 as first,
        (extract(epoch from max(last_message_at)) * 1000)::float8 as last
      from conversations where id = any(${uuids(ids)})`,
  );
  if (span?.first != null && span.last != null) {
    const day = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
    await rollUp(tx, { from: new Date(day(span.first)), to: new Date(day(span.last) + DAY_MS) });
  }
  const erased = await eraseRows(
    tx,
    { visitorIds: [], conversationIds: ids, emails: [] },
    { keep: ['conversations', 'visitors'] },
  );
  // A note added to one of them since (notes may be added to a closed chat) goes too.
  await tx.execute(sql`with late_files as (
      delete from attachments where conversation_id = any(${uuids(ids)})
    ), late_messages as (
      delete from messages where conversation_id = any(${uuids(ids)})
    )
    update conversations set expired_at = now(), tags = '{}', notes = '', rating_comment = null
    where id = any(${uuids(ids)}) and expired_at is null`);
  return {
    taken: ids.length,
    counts: {
      ...counts,
      conversations: ids.length,
      messages: erased.messages ?? 0,
      files: erased.attachments ?? 0,
      webhookDeliveries: erased.webhook_deliveries ?? 0,
      jobs: erased.jobs ?? 0,
    },
  };
}

/**
 * Up to `size` visitors not seen for `days` and not online, with no conversation that still
 * has its content: one who never had a conversation is deleted (with their pages visited and
 * uploads never sent); one whose conversations all expired is emptied of their details, so
 * that those conversations still count in the reports.
 */
export async function expireIdleVisitors(tx: Tx, days: number, size: number): Promise<Batch> {
  const rows = await rowsOf<{ id: string; chats: boolean }>(
    tx,
    sql`select v.id, exists (select 1 from conversations c where c.visitor_id = v.id) as chats
      from visitors v
      where v.expired_at is null and v.last_seen_at < now() - make_interval(days => ${days})
        and not v.online
        and not exists (
          select 1 from conversations c where c.visitor_id = v.id and c.expired_at is null)
      order by v.last_seen_at limit ${size} for update of v skip locked`,
  );
  const counts = noCounts();
  if (rows.length === 0) return { taken: 0, counts };
  const gone = rows.filter((r) => !r.chats).map((r) => r.id);
  const emptied = rows.filter((r) => r.chats).map((r) => r.id);
  const erased = await eraseRows(
    tx,
    { visitorIds: [...gone, ...emptied], conversationIds: [], emails: [] },
    // Their conversations are expired already; the emptied records stay, without details.
    { keep: ['conversations', 'visitors'] },
  );
  // Still idle: on PGlite these are statements of their own, and a visitor may be back.
  const idle = sql`not online and last_seen_at < now() - make_interval(days => ${days})`;
  if (gone.length > 0) {
    await tx.execute(sql`delete from visitors where id = any(${uuids(gone)}) and ${idle}`);
  }
  if (emptied.length > 0) {
    await tx.execute(sql`update visitors set expired_at = now(), name = null, email = null,
        confirmed_email = null, ip = null, browser = null, os = null, current_url = null,
        current_title = null, attributes = '{}', external_id = null
      where id = any(${uuids(emptied)}) and ${idle}`);
  }
  return {
    taken: rows.length,
    counts: {
      ...counts,
      visitors: rows.length,
      files: erased.attachments ?? 0,
      webhookDeliveries: erased.webhook_deliveries ?? 0,
      jobs: erased.jobs ?? 0,
    },
  };
}

/** Deletes up to `size` rows of `table` that `where` picks (oldest first by `order`, if given). */
async function deleteSome(
  tx: Tx,
  table: string,
  where: SQL,
  order: SQL | null,
  size: number,
): Promise<number> {
  const t = sql.identifier(table);
  const rows = await rowsOf<{ id: string }>(
    tx,
    sql`delete from ${t} where id in (
        select id from ${t} where ${where}
        ${order ? sql`order by ${order}` : sql``} limit ${size} for update skip locked)
      returning id`,
  );
  return rows.length;
}

/** Up to `size` webhook deliveries older than `days` that are not waiting to be sent. */
export async function expireWebhookLog(tx: Tx, days: number, size: number): Promise<Batch> {
  const n = await deleteSome(
    tx,
    'webhook_deliveries',
    sql`created_at < now() - make_interval(days => ${days}) and status <> 'pending'`,
    sql`created_at`,
    size,
  );
  return { taken: n, counts: { ...noCounts(), webhookDeliveries: n } };
}

/** Up to `size` jobs done before `days` ago (failed ones stay for an admin to look at). */
export async function expireDoneJobs(tx: Tx, days: number, size: number): Promise<Batch> {
  const n = await deleteSome(
    tx,
    'jobs',
    sql`status = 'done' and finished_at < now() - make_interval(days => ${days})`,
    null,
    size,
  );
  return { taken: n, counts: { ...noCounts(), jobs: n } };
}

/** Audit records older than `days`, oldest first: the log's own retention. */
export async function expireAuditEvents(tx: Tx, days: number, size: number): Promise<Batch> {
  const n = await deleteSome(
    tx,
    'audit_events',
    sql`at < now() - make_interval(days => ${days})`,
    sql`at`,
    size,
  );
  return { taken: n, counts: { ...noCounts(), auditEvents: n } };
}
