import { and, eq, gte, isNotNull, lt, ne, sql, type Column, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';
import { conversations, messages, users } from './schema.js';

/** [from, to): UTC instants. */
export type Range = { from: Date; to: Date };

const inRange = (column: Column, r: Range) => and(gte(column, r.from), lt(column, r.to));

const medianSeconds = (end: Column) =>
  sql<number | null>`extract(epoch from percentile_cont(0.5) within group
    (order by ${end} - ${conversations.createdAt}))::float8`;

/** Counts, medians and ratings of the conversations started in the range: one aggregate query. */
export async function conversationTotals(db: Tx, r: Range) {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${conversations.status} = 'open'))::int`,
      pending: sql<number>`(count(*) filter (where ${conversations.status} = 'pending'))::int`,
      closed: sql<number>`(count(*) filter (where ${conversations.status} = 'closed'))::int`,
      missed: sql<number>`(count(*) filter (where ${conversations.status} = 'closed'
        and ${conversations.firstResponseAt} is null))::int`,
      medianFirstResponse: medianSeconds(conversations.firstResponseAt),
      medianResolution: medianSeconds(conversations.closedAt),
      up: sql<number>`(count(*) filter (where ${conversations.rating} = 'up'))::int`,
      down: sql<number>`(count(*) filter (where ${conversations.rating} = 'down'))::int`,
    })
    .from(conversations)
    .where(inRange(conversations.createdAt, r));
  if (!row) throw new Error('Aggregate returned no row');
  return row;
}

/** Messages sent in the range; a system line ("Chat closed by …") is not one, a note is. */
const countedMessage = ne(messages.type, 'system');

export async function countMessages(db: Tx, r: Range): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(and(inRange(messages.createdAt, r), countedMessage));
  return row?.n ?? 0;
}

/**
 * The UTC day of `column`: 24-hour steps from a UTC midnight, in absolute time, so the session's
 * time zone plays no part. The origin is a constant, not the range's start (also a UTC
 * midnight, so the days are the same): the expression is then the same text in every query,
 * which lets GROUP BY repeat it and lets statistics declared on it inform the planner.
 */
const dayOf = (column: Column) =>
  sql`date_bin('24 hours', ${column}, timestamptz '2000-01-01 00:00:00+00')`;

/**
 * Rows of `column` in the range counted per UTC day (a day with none has no entry): one
 * grouped pass over the range.
 */
async function countPerDay(db: Tx, column: Column, r: Range, where?: SQL) {
  const rows = await db
    .select({
      date: sql<string>`to_char(${dayOf(column)} at time zone 'UTC', 'YYYY-MM-DD')`,
      n: sql<number>`count(*)::int`,
    })
    .from(column.table)
    .where(and(inRange(column, r), where))
    .groupBy(dayOf(column));
  return new Map(rows.map((row) => [row.date, row.n]));
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * One row per UTC day of the range, zeros included: conversations started that day,
 * conversations closed that day (whenever they started) and messages sent that day. Three
 * grouped counts, one pass each, run side by side; the days are listed here. (Joined to a
 * generate_series in SQL, they mislead the planner: unless told otherwise it takes every
 * timestamp for a day of its own, expects millions of groups, sorts them for a merge join and
 * compiles the plan with JIT, which costs more than the counting.)
 */
export async function perDay(db: Tx, r: Range) {
  const [started, closed, sent] = await Promise.all([
    countPerDay(db, conversations.createdAt, r),
    countPerDay(db, conversations.closedAt, r),
    countPerDay(db, messages.createdAt, r, countedMessage),
  ]);
  const days = [];
  for (let at = r.from.getTime(); at < r.to.getTime(); at += DAY_MS) {
    const date = new Date(at).toISOString().slice(0, 10);
    days.push({
      date,
      conversations: started.get(date) ?? 0,
      closed: closed.get(date) ?? 0,
      messages: sent.get(date) ?? 0,
    });
  }
  return days;
}

export async function perHour(db: Tx, r: Range) {
  const hour = sql<number>`extract(hour from ${conversations.createdAt} at time zone 'UTC')::int`;
  return db
    .select({ hour, conversations: sql<number>`count(*)::int` })
    .from(conversations)
    .where(inRange(conversations.createdAt, r))
    .groupBy(hour)
    .orderBy(hour);
}

/**
 * Every agent with the conversations assigned to them that started in the range, and the
 * replies (text, not notes) they sent in the range in any conversation: two grouped passes,
 * one per table, joined to the agents. The subqueries' columns have names of their own because
 * drizzle refers to them without the subquery's name.
 */
export async function perAgent(db: Tx, r: Range) {
  const assigned = db
    .select({
      agentId: sql<string>`${conversations.assigneeId}`.as('assigned_agent_id'),
      conversations: sql<number>`count(*)::int`.as('assigned_conversations'),
      closed: sql<number>`(count(*) filter (where ${conversations.status} = 'closed'))::int`.as(
        'assigned_closed',
      ),
      medianFirstResponse: medianSeconds(conversations.firstResponseAt).as(
        'assigned_median_first_response',
      ),
      ratingUp: sql<number>`(count(*) filter (where ${conversations.rating} = 'up'))::int`.as(
        'assigned_rating_up',
      ),
      ratingDown: sql<number>`(count(*) filter (where ${conversations.rating} = 'down'))::int`.as(
        'assigned_rating_down',
      ),
    })
    .from(conversations)
    .where(and(inRange(conversations.createdAt, r), isNotNull(conversations.assigneeId)))
    .groupBy(conversations.assigneeId)
    .as('assigned');
  const replies = db
    .select({
      agentId: sql<string>`${messages.senderId}`.as('replies_agent_id'),
      n: sql<number>`count(*)::int`.as('replies_n'),
    })
    .from(messages)
    .where(
      and(inRange(messages.createdAt, r), eq(messages.sender, 'agent'), eq(messages.type, 'text')),
    )
    .groupBy(messages.senderId)
    .as('replies');
  const conversationCount = sql<number>`coalesce(${assigned.conversations}, 0)`;
  return db
    .select({
      agentId: users.id,
      name: users.name,
      conversations: conversationCount,
      closed: sql<number>`coalesce(${assigned.closed}, 0)`,
      medianFirstResponse: assigned.medianFirstResponse,
      ratingUp: sql<number>`coalesce(${assigned.ratingUp}, 0)`,
      ratingDown: sql<number>`coalesce(${assigned.ratingDown}, 0)`,
      messages: sql<number>`coalesce(${replies.n}, 0)`,
    })
    .from(users)
    .leftJoin(assigned, eq(assigned.agentId, users.id))
    .leftJoin(replies, eq(replies.agentId, users.id))
    .orderBy(sql`${conversationCount} desc`, users.name);
}
