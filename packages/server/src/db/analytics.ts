import { and, eq, gte, lt, ne, sql, type Column } from 'drizzle-orm';
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

export async function countMessages(db: Tx, r: Range): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(and(inRange(messages.createdAt, r), ne(messages.type, 'system')));
  return row?.n ?? 0;
}

/** One row per UTC day of the range, zeros included. */
export async function perDay(db: Tx, r: Range) {
  const day = sql`d.day`;
  const count = (table: typeof conversations | typeof messages, column: Column, extra = sql``) =>
    sql<number>`(select count(*)::int from ${table}
      where ${column} >= ${day} and ${column} < ${day} + interval '1 day' ${extra})`;
  return db
    .select({
      date: sql<string>`to_char(${day}, 'YYYY-MM-DD')`,
      conversations: count(conversations, conversations.createdAt),
      closed: count(conversations, conversations.closedAt),
      messages: count(messages, messages.createdAt, sql`and ${messages.type} <> 'system'`),
    })
    .from(
      sql`generate_series(${r.from.toISOString()}::timestamptz,
        ${r.to.toISOString()}::timestamptz - interval '1 day', interval '1 day') as d(day)`,
    )
    .orderBy(day);
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

/** Every agent with the conversations assigned to them that started in the range. */
export async function perAgent(db: Tx, r: Range) {
  return db
    .select({
      agentId: users.id,
      name: users.name,
      conversations: sql<number>`count(${conversations.id})::int`,
      closed: sql<number>`(count(*) filter (where ${conversations.status} = 'closed'))::int`,
      medianFirstResponse: medianSeconds(conversations.firstResponseAt),
      ratingUp: sql<number>`(count(*) filter (where ${conversations.rating} = 'up'))::int`,
      ratingDown: sql<number>`(count(*) filter (where ${conversations.rating} = 'down'))::int`,
      messages: sql<number>`(select count(*)::int from ${messages} m
        where m.sender_id = ${users.id} and m.sender = 'agent' and m.type = 'text'
        and m.created_at >= ${r.from.toISOString()}::timestamptz
        and m.created_at < ${r.to.toISOString()}::timestamptz)`,
    })
    .from(users)
    .leftJoin(
      conversations,
      and(eq(conversations.assigneeId, users.id), inRange(conversations.createdAt, r)),
    )
    .groupBy(users.id)
    .orderBy(sql`count(${conversations.id}) desc`, users.name);
}
