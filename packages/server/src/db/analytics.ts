import {
  and,
  desc,
  eq,
  gte,
  isNotNull,
  lt,
  ne,
  sql,
  sum,
  type Column,
  type SQL,
} from 'drizzle-orm';
import type { Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import {
  agentReplyDays,
  conversations,
  messageDays,
  messagePlaceDays,
  messages,
  users,
  visitors,
} from './schema.js';

/** [from, to): UTC midnights, as the reports ask for whole days. */
export type Range = { from: Date; to: Date };

/** The chats of one site, one team, or both (nothing set: all of them). */
export type Scope = { siteId?: string; teamId?: string };

const scoped = (s: Scope) => s.siteId !== undefined || s.teamId !== undefined;

/** The conversations of the scope. */
const inScope = (s: Scope) =>
  and(
    s.siteId ? eq(conversations.siteId, s.siteId) : undefined,
    s.teamId ? eq(conversations.teamId, s.teamId) : undefined,
  );

const inRange = (column: Column, r: Range) => and(gte(column, r.from), lt(column, r.to));

/** From the visitor's first message to the first agent text after it (the index's expression). */
const responseTime = sql`(${conversations.firstResponseAt} - ${conversations.firstVisitorMessageAt})`;
const responded = isNotNull(conversations.firstResponseAt);
/** From the start to the close. */
const resolutionTime = sql`(${conversations.closedAt} - ${conversations.createdAt})`;
const resolved = isNotNull(conversations.closedAt);

/**
 * The median of `duration` over the conversations `where` picks (those without one left out),
 * in seconds, as `percentile_cont(0.5)` computes it: the middle value, or halfway between the
 * middle two, in the same interval arithmetic. Sorting a year of conversations for it took
 * seconds at a million of them; instead the statement counts them, then walks the index on the
 * duration (migration 0013) to the middle, reading the index alone. Count and walk are one
 * statement, so they see the same conversations.
 */
function median(duration: SQL, where: SQL | undefined, unit: 'interval' | 'seconds' = 'interval') {
  const middle = sql`(max(d) - min(d)) * 0.5 + min(d)`;
  return sql<number | null>`(
    with counted as materialized (
      select count(${duration}) as n from ${conversations} where ${where}
    )
    select ${unit === 'interval' ? sql`extract(epoch from ${middle})` : middle}::float8
    from (
      select ${duration} as d from ${conversations}
      where ${and(where, sql`${duration} is not null`)}
      order by ${duration}
      offset (select (n - 1) / 2 from counted) limit (select 2 - n % 2 from counted)
    ) middle
  )`;
}

/**
 * The median as `percentile_cont(0.5)` computes it, sorting the durations of the conversations
 * `where` picks: for a site or a team with few conversations in the range, which the index on
 * (site, start) or (team, start) finds, where walking the all-time index on the duration would
 * read every other site's too until the middle of this one's.
 */
function sortedMedian(duration: SQL, where: SQL | undefined) {
  return sql<number | null>`(
    select extract(epoch from percentile_cont(0.5) within group (order by ${duration}))::float8
    from ${conversations} where ${and(where, sql`${duration} is not null`)}
  )`;
}

/**
 * A scope with at most this many conversations in the range has its medians sorted; a larger
 * one (a company's main site, say) walks the all-time indexes like the whole report, its own
 * conversations being a good share of what the walk reads.
 */
export const scopedMedians = { sortAtMost: 20_000 };

/**
 * The median of a duration over the conversations `where` picks (the scope's among them), the
 * fast way for the scope's `size`.
 */
function medianIn(
  s: Scope,
  size: number,
  duration: SQL,
  where: SQL | undefined,
  unit: 'interval' | 'seconds' = 'interval',
) {
  if (!scoped(s) || size > scopedMedians.sortAtMost) return median(duration, where, unit);
  return sortedMedian(
    unit === 'interval' ? duration : sql`make_interval(secs => ${duration})`,
    where,
  );
}

/** A FROM for a select of subqueries alone. */
const oneRow = sql`(values (0)) one`;

/**
 * Counts, medians and ratings of the conversations started in the range: the counts, then the
 * three medians side by side (how a scope's are found depends on its count). On PostgreSQL each
 * runs on a connection (and a core) of its own; PGlite runs one query at a time, and a chat
 * message waits behind a shorter one.
 */
export async function conversationTotals(db: Tx, r: Range, s: Scope = {}) {
  const started = and(inRange(conversations.createdAt, r), inScope(s));
  const inHours = isNotNull(conversations.firstResponseBusinessSeconds);
  const business = sql`${conversations.firstResponseBusinessSeconds}`;
  const [counts] = await db
    .select({
      total: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${conversations.status} = 'open'))::int`,
      pending: sql<number>`(count(*) filter (where ${conversations.status} = 'pending'))::int`,
      closed: sql<number>`(count(*) filter (where ${conversations.status} = 'closed'))::int`,
      // The visitor wrote and the chat closed with no agent text after it.
      missed: sql<number>`(count(*) filter (where ${conversations.status} = 'closed'
          and ${conversations.firstVisitorMessageAt} is not null
          and ${conversations.firstResponseAt} is null))::int`,
      up: sql<number>`(count(*) filter (where ${conversations.rating} = 'up'))::int`,
      down: sql<number>`(count(*) filter (where ${conversations.rating} = 'down'))::int`,
    })
    .from(conversations)
    .where(started);
  if (!counts) throw new Error('Aggregate returned no row');
  const size = counts.total;
  const [[response], [resolution], [inBusiness]] = await Promise.all([
    db.select({ seconds: medianIn(s, size, responseTime, and(started, responded)) }).from(oneRow),
    db.select({ seconds: medianIn(s, size, resolutionTime, and(started, resolved)) }).from(oneRow),
    db
      .select({ seconds: medianIn(s, size, business, and(started, inHours), 'seconds') })
      .from(oneRow),
  ]);
  if (!response || !resolution || !inBusiness) throw new Error('Aggregate returned no row');
  return {
    ...counts,
    medianFirstResponse: response.seconds,
    medianResolution: resolution.seconds,
    medianFirstResponseBusiness: inBusiness.seconds,
  };
}

/** Messages sent in the range; a system line ("Chat closed by …") is not one, a note is. */
const countedMessage = ne(messages.type, 'system');

/** An agent's reply: their text to the visitor, not a note. */
const agentReply = and(eq(messages.sender, 'agent'), eq(messages.type, 'text'));

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

export const DAY_MS = 24 * 3600 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A day is rolled up once it has been over for this long. A message is stamped by its insert's
 * clock, so by then a transaction that began before midnight has committed, and an instance
 * whose clock runs behind has moved on too.
 */
const SETTLE_MS = 10 * 60 * 1000;

const inDays = (column: Column, r: Range) =>
  and(gte(column, isoDay(r.from)), lt(column, isoDay(r.to)));

/**
 * Splits the range into the days read from the roll-ups (over and settled), rolling up first
 * those not rolled up yet, and the rest, read from `messages` as it stands. A report over a
 * year then reads a few hundred rows, and a day is counted from the messages once: the first
 * report that covers it after it settled pays for it (after an upgrade, the first report pays
 * for the whole history it covers).
 */
export async function rollUp(db: Tx, r: Range): Promise<{ rolled?: Range; live?: Range }> {
  const settled = Math.floor((Date.now() - SETTLE_MS) / DAY_MS) * DAY_MS;
  const end = new Date(Math.min(r.to.getTime(), Math.max(settled, r.from.getTime())));
  const live = end < r.to ? { from: end, to: r.to } : undefined;
  if (end <= r.from) return { live };
  const rolled = { from: r.from, to: end };
  const done = await db
    .select({ day: messageDays.day })
    .from(messageDays)
    .where(and(inDays(messageDays.day, rolled), eq(messageDays.byPlace, true)));
  const have = new Set(done.map((row) => row.day));
  let spanStart: number | undefined;
  for (let at = rolled.from.getTime(); at <= end.getTime(); at += DAY_MS) {
    const missing = at < end.getTime() && !have.has(isoDay(new Date(at)));
    if (missing && spanStart === undefined) spanStart = at;
    if (!missing && spanStart !== undefined) {
      await rollUpSpan(db, { from: new Date(spanStart), to: new Date(at) });
      spanStart = undefined;
    }
  }
  return { rolled, live };
}

/**
 * Rolls up the days of the span in one grouped pass over its messages, by day, agent (for
 * replies), site and team. Another report (here or on another instance) may be rolling up the
 * same days: both compute the same rows, the first to commit keeps its own, and the other's
 * days conflict and add nothing (nor do their places and replies, which join the days added).
 */
async function rollUpSpan(db: Tx, span: Range) {
  // Days rolled up without places go first (their replies and places with them).
  await db
    .delete(messageDays)
    .where(and(inDays(messageDays.day, span), eq(messageDays.byPlace, false)));
  await db.execute(sql`
    with grouped as materialized (
      select ${dayOf(messages.createdAt)} as at,
        case when ${agentReply} then ${messages.senderId} end as agent_id,
        ${conversations.siteId} as site_id, ${conversations.teamId} as team_id,
        (count(*) filter (where ${countedMessage}))::int as n
      from ${messages} join ${conversations} on ${conversations.id} = ${messages.conversationId}
      where ${inRange(messages.createdAt, span)}
      group by 1, 2, 3, 4
    ),
    days as (
      insert into ${messageDays} (day, messages, by_place)
      select (d at time zone 'UTC')::date, coalesce(sum(grouped.n), 0)::int, true
      from generate_series(${span.from}::timestamptz, ${span.to}::timestamptz - interval '24 hours',
        interval '24 hours') d
      left join grouped on grouped.at = d
      group by d
      on conflict do nothing
      returning day
    ),
    places as (
      insert into ${messagePlaceDays} (day, site_id, team_id, agent_id, messages)
      select days.day, grouped.site_id, grouped.team_id, grouped.agent_id, grouped.n
      from grouped join days on days.day = (grouped.at at time zone 'UTC')::date
      where grouped.n > 0
    )
    insert into ${agentReplyDays} (day, agent_id, replies)
    select days.day, grouped.agent_id, sum(grouped.n)::int
    from grouped join days on days.day = (grouped.at at time zone 'UTC')::date
    where grouped.agent_id is not null
    group by 1, 2`);
}

/** The rolled-up messages of the scope: its places' rows. */
const placesInScope = (s: Scope) =>
  and(
    s.siteId ? eq(messagePlaceDays.siteId, s.siteId) : undefined,
    s.teamId ? eq(messagePlaceDays.teamId, s.teamId) : undefined,
  );

export async function countMessages(db: Tx, r: Range, s: Scope = {}): Promise<number> {
  const { rolled, live } = await rollUp(db, r);
  const [days] = !rolled
    ? []
    : scoped(s)
      ? await db
          .select({ n: sql<number>`coalesce(${sum(messagePlaceDays.messages)}, 0)::int` })
          .from(messagePlaceDays)
          .where(and(inDays(messagePlaceDays.day, rolled), placesInScope(s)))
      : await db
          .select({ n: sql<number>`coalesce(${sum(messageDays.messages)}, 0)::int` })
          .from(messageDays)
          .where(inDays(messageDays.day, rolled));
  const [recent] = live
    ? await db
        .select({ n: sql<number>`count(*)::int` })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(and(inRange(messages.createdAt, live), countedMessage, inScope(s)))
    : [];
  return (days?.n ?? 0) + (recent?.n ?? 0);
}

/** Messages per UTC day (a day with none may have no entry): roll-ups, then the live days. */
async function messagesPerDay(db: Tx, r: Range, s: Scope) {
  const { rolled, live } = await rollUp(db, r);
  const days = !rolled
    ? []
    : scoped(s)
      ? await db
          .select({
            date: sql<string>`${messagePlaceDays.day}::text`,
            n: sql<number>`sum(${messagePlaceDays.messages})::int`,
          })
          .from(messagePlaceDays)
          .where(and(inDays(messagePlaceDays.day, rolled), placesInScope(s)))
          .groupBy(messagePlaceDays.day)
      : await db
          .select({ date: sql<string>`${messageDays.day}::text`, n: messageDays.messages })
          .from(messageDays)
          .where(inDays(messageDays.day, rolled));
  const perDay = new Map(days.map((row) => [row.date, row.n]));
  if (live) {
    const where = and(countedMessage, scoped(s) ? inMessagesScope(s) : undefined);
    for (const [date, n] of await countPerDay(db, messages.createdAt, live, where))
      perDay.set(date, n);
  }
  return perDay;
}

/** Messages whose conversation is in the scope (a condition on `messages` alone). */
const inMessagesScope = (s: Scope) =>
  sql`${messages.conversationId} in (select ${conversations.id} from ${conversations} where ${inScope(s)})`;

/**
 * One row per UTC day of the range, zeros included: conversations started that day,
 * conversations closed that day (whenever they started) and messages sent that day. Two
 * grouped counts and the messages' roll-ups, run side by side; the days are listed here. (Joined to a
 * generate_series in SQL, they mislead the planner: unless told otherwise it takes every
 * timestamp for a day of its own, expects millions of groups, sorts them for a merge join and
 * compiles the plan with JIT, which costs more than the counting.)
 */
export async function perDay(db: Tx, r: Range, s: Scope = {}) {
  const [started, closed, sent] = await Promise.all([
    countPerDay(db, conversations.createdAt, r, inScope(s)),
    countPerDay(db, conversations.closedAt, r, inScope(s)),
    messagesPerDay(db, r, s),
  ]);
  const days = [];
  for (let at = r.from.getTime(); at < r.to.getTime(); at += DAY_MS) {
    const date = isoDay(new Date(at));
    days.push({
      date,
      conversations: started.get(date) ?? 0,
      closed: closed.get(date) ?? 0,
      messages: sent.get(date) ?? 0,
    });
  }
  return days;
}

export async function perHour(db: Tx, r: Range, s: Scope = {}) {
  const hour = sql<number>`extract(hour from ${conversations.createdAt} at time zone 'UTC')::int`;
  return db
    .select({ hour, conversations: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(inRange(conversations.createdAt, r), inScope(s)))
    .groupBy(hour)
    .orderBy(hour);
}

/**
 * Every agent with the conversations assigned to them that started in the range, the median of
 * the first responses they wrote in conversations started in the range, and the replies (text,
 * not notes) they sent in the range in any conversation: two grouped passes over the
 * conversations and the replies' roll-ups, side by side. The subquery's columns have names of
 * their own because drizzle refers to them without the subquery's name.
 */
export async function perAgent(db: Tx, r: Range, s: Scope = {}) {
  const assigned = db
    .select({
      agentId: sql<string>`${conversations.assigneeId}`.as('assigned_agent_id'),
      conversations: sql<number>`count(*)::int`.as('assigned_conversations'),
      closed: sql<number>`(count(*) filter (where ${conversations.status} = 'closed'))::int`.as(
        'assigned_closed',
      ),
      ratingUp: sql<number>`(count(*) filter (where ${conversations.rating} = 'up'))::int`.as(
        'assigned_rating_up',
      ),
      ratingDown: sql<number>`(count(*) filter (where ${conversations.rating} = 'down'))::int`.as(
        'assigned_rating_down',
      ),
    })
    .from(conversations)
    .where(
      and(inRange(conversations.createdAt, r), isNotNull(conversations.assigneeId), inScope(s)),
    )
    .groupBy(conversations.assigneeId)
    .as('assigned');
  const conversationCount = sql<number>`coalesce(${assigned.conversations}, 0)`;
  const [rows, medians, replies] = await Promise.all([
    db
      .select({
        agentId: users.id,
        name: users.name,
        conversations: conversationCount,
        closed: sql<number>`coalesce(${assigned.closed}, 0)`,
        ratingUp: sql<number>`coalesce(${assigned.ratingUp}, 0)`,
        ratingDown: sql<number>`coalesce(${assigned.ratingDown}, 0)`,
      })
      .from(users)
      .leftJoin(assigned, eq(assigned.agentId, users.id))
      .orderBy(sql`${conversationCount} desc`, users.name),
    scoped(s) && (await scopeSize(db, r, s)) <= scopedMedians.sortAtMost
      ? firstResponsesPerAgentIn(db, r, s)
      : firstResponsesPerAgent(db, r, s),
    repliesPerAgent(db, r, s),
  ]);
  return rows.map((row) => ({
    ...row,
    medianFirstResponse: medians.get(row.agentId) ?? null,
    messages: replies.get(row.agentId) ?? 0,
  }));
}

/**
 * The median first response of each agent, over the conversations started in the range: a
 * first response is credited to the agent who wrote it, whoever holds the chat now. One walk
 * per user, through the index on (responder, response time), each a statement of its own and
 * one after another: on PGlite a chat message waits behind one walk at most (under a
 * millisecond at 2M messages), not all of them. Priced for one user, a walk is far from the
 * cost at which PostgreSQL would compile its plan (JIT), which the ten together once reached.
 */
async function firstResponsesPerAgent(db: Tx, r: Range, s: Scope = {}) {
  const medians = new Map<string, number | null>();
  for (const { id } of await db.select({ id: users.id }).from(users)) {
    const credited = and(
      inRange(conversations.createdAt, r),
      responded,
      eq(conversations.firstResponderId, id),
      inScope(s),
    );
    const [row] = await db.select({ seconds: median(responseTime, credited) }).from(oneRow);
    medians.set(id, row?.seconds ?? null);
  }
  return medians;
}

/** How many conversations of the scope started in the range (through its index). */
async function scopeSize(db: Tx, r: Range, s: Scope): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(inRange(conversations.createdAt, r), inScope(s)));
  return row?.n ?? 0;
}

/**
 * The same for a small site or team: one grouped statement over the scope's conversations of the
 * range, which its index finds, rather than a walk per user through every site's.
 */
async function firstResponsesPerAgentIn(db: Tx, r: Range, s: Scope) {
  const rows = await db
    .select({
      agentId: conversations.firstResponderId,
      seconds: sql<
        number | null
      >`extract(epoch from percentile_cont(0.5) within group (order by ${responseTime}))::float8`,
    })
    .from(conversations)
    .where(
      and(
        inRange(conversations.createdAt, r),
        responded,
        isNotNull(conversations.firstResponderId),
        inScope(s),
      ),
    )
    .groupBy(conversations.firstResponderId);
  return new Map(rows.map((row) => [row.agentId!, row.seconds]));
}

/** Each agent's replies (text, not notes) in the range: roll-ups, then the live days. */
async function repliesPerAgent(db: Tx, r: Range, s: Scope) {
  const { rolled, live } = await rollUp(db, r);
  const replies = new Map<string, number>();
  const add = (rows: Array<{ agentId: string | null; n: number }>) => {
    for (const row of rows)
      if (row.agentId) replies.set(row.agentId, (replies.get(row.agentId) ?? 0) + row.n);
  };
  if (rolled && !scoped(s))
    add(
      await db
        .select({
          agentId: agentReplyDays.agentId,
          n: sql<number>`sum(${agentReplyDays.replies})::int`,
        })
        .from(agentReplyDays)
        .where(inDays(agentReplyDays.day, rolled))
        .groupBy(agentReplyDays.agentId),
    );
  if (rolled && scoped(s))
    add(
      await db
        .select({
          agentId: messagePlaceDays.agentId,
          n: sql<number>`sum(${messagePlaceDays.messages})::int`,
        })
        .from(messagePlaceDays)
        .where(
          and(
            inDays(messagePlaceDays.day, rolled),
            isNotNull(messagePlaceDays.agentId),
            placesInScope(s),
          ),
        )
        .groupBy(messagePlaceDays.agentId),
    );
  if (live)
    add(
      await db
        .select({ agentId: messages.senderId, n: sql<number>`count(*)::int` })
        .from(messages)
        .where(
          and(
            inRange(messages.createdAt, live),
            agentReply,
            scoped(s) ? inMessagesScope(s) : undefined,
          ),
        )
        .groupBy(messages.senderId),
    );
  return replies;
}

/**
 * The ratings given in the range (by when they were given), newest first, after `position`;
 * `rating` keeps only thumbs up or only down. Read through the partial index on rated_at.
 */
export async function listRatings(
  db: Tx,
  r: Range,
  filter: { rating?: 'up' | 'down'; after?: KeysetPosition; limit: number },
  s: Scope = {},
) {
  const ratedAt = conversations.ratedAt;
  return db
    .select({
      conversationId: conversations.id,
      rating: sql<'up' | 'down'>`${conversations.rating}`,
      comment: conversations.ratingComment,
      // Never null here (rated only); the column's own mapping makes it a Date.
      ratedAt: sql<Date>`${ratedAt}`.mapWith(ratedAt),
      visitor: { id: visitors.id, name: visitors.name, email: visitors.email },
      assignee: { id: users.id, name: users.name },
    })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(
      and(
        isNotNull(conversations.rating),
        inRange(ratedAt, r),
        filter.rating ? eq(conversations.rating, filter.rating) : undefined,
        inScope(s),
        after(ratedAt, conversations.id, filter.after),
      ),
    )
    .orderBy(desc(ratedAt), desc(conversations.id))
    .limit(filter.limit);
}

/** Answered conversations whose first response within business hours is not counted yet. */
export async function dueBusinessResponses(db: Tx, limit: number) {
  return db
    .select({
      id: conversations.id,
      siteId: conversations.siteId,
      teamId: conversations.teamId,
      askedAt: sql<Date>`${conversations.firstVisitorMessageAt}`.mapWith(
        conversations.firstVisitorMessageAt,
      ),
      answeredAt: sql<Date>`${conversations.firstResponseAt}`.mapWith(
        conversations.firstResponseAt,
      ),
    })
    .from(conversations)
    .where(
      and(
        isNotNull(conversations.firstResponseAt),
        sql`${conversations.firstResponseBusinessSeconds} is null`,
      ),
    )
    .orderBy(conversations.createdAt)
    .limit(limit);
}

export async function setBusinessResponses(
  db: Tx,
  counted: Array<{ id: string; seconds: number }>,
): Promise<void> {
  if (counted.length === 0) return;
  await db.execute(sql`
    update ${conversations} set first_response_business_seconds = counted.seconds
    from unnest(${arrayLiteral(counted.map((c) => c.id))}::uuid[],
      ${arrayLiteral(counted.map((c) => c.seconds))}::float8[])
      as counted(id, seconds)
    where ${conversations.id} = counted.id`);
}

/** Ids and numbers as one array parameter (drizzle would spread a JS array into many). */
const arrayLiteral = (items: Array<string | number>) => `{${items.join(',')}}`;
