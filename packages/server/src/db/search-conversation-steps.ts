import { and, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rowsOf, type Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import {
  conversations,
  messages,
  tagsSearchDocument,
  visitors,
  visitorSearchDocument,
} from './schema.js';
import type {
  ConversationBounds,
  ConversationHit,
  ConversationSearch,
} from './search-conversation-types.js';
import { BITMAP_ONLY, searchable, tsQuery, type IndexAsk } from './search-query.js';

// The two ways of db/search-conversations.ts, a statement each: a step of the walk down the
// list, and a read of the indexes.

/** The list's order: by the minute first, which its index holds (db/conversations.ts). */
const newestActivity = (t: { minute: SQL; at: SQL; id: SQL }) =>
  sql`${t.minute} desc, ${t.at} desc, ${t.id} desc`;
const listOrder = newestActivity({
  minute: sql`${conversations.lastMessageMinute}`,
  at: sql`${conversations.lastMessageAt}`,
  id: sql`${conversations.id}`,
});

/** Conversations after `p` in the list's order; the minute lets its index start there. */
const afterInList = (p: KeysetPosition | undefined) =>
  p
    ? and(
        lte(
          conversations.lastMessageMinute,
          sql`date_trunc('minute', ${p.at.toISOString()}::timestamptz)`,
        ),
        after(conversations.lastMessageAt, conversations.id, p),
      )
    : undefined;

/** Every search reads only conversations with their content: an expired one is in none. */
const whereAll = (...conditions: Array<SQL | undefined>) =>
  and(isNull(conversations.expiredAt), ...conditions) ?? sql`true`;

type HitRecord = { id: string; at_ms: number };
const toHit = (r: HitRecord): ConversationHit => ({ id: r.id, lastMessageAt: new Date(r.at_ms) });

/** A uuid[] as the driver may give it, in PostgreSQL's text form: `{a,b}`. */
const parseUuidArray = (text: string): string[] =>
  text
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);

/**
 * The next `step` conversations after `at`, each tested: their newest `want` matches, and the
 * last of them tested (none when the list ended in this step). `visitorIds`: every visitor
 * who matches, when known.
 */
export async function walkStep(
  db: Tx,
  search: ConversationSearch,
  at: KeysetPosition | undefined,
  want: number,
  step: number,
  visitorIds?: string[],
): Promise<{ hits: ConversationHit[]; oldest: KeysetPosition | undefined }> {
  const q = tsQuery(search.terms);
  const v = alias(visitors, 'v');
  // Otherwise a scalar subquery is run for each conversation (by the visitor's key), where a
  // join or an `in` may become a scan of every visitor; their document is the costly test
  // (20 µs, against 5 for the tags).
  const visitorMatches = visitorIds
    ? sql`w.visitor_id = any(${`{${visitorIds.join(',')}}`}::uuid[])`
    : sql`(select ${visitorSearchDocument(v)} @@ ${q}${
        search.externalId ? sql` or ${v.externalId} = ${search.externalId}` : sql``
      } from ${visitors} v where ${v.id} = w.visitor_id)`;
  // The messages are read into a table of their own before they are tested: a test where
  // they are read may be answered through the search index, which is all of history.
  const said = search.messages
    ? sql`, said as materialized (
        select m.conversation_id, m.search_vector from walked w
        join ${messages} m on m.conversation_id = w.id
        where m.type <> 'system'
      ), said_hits as (select distinct conversation_id from said where search_vector @@ ${q})`
    : sql``;
  const saidMatches = search.messages
    ? sql`exists (select 1 from said_hits h where h.conversation_id = w.id) or `
    : sql``;
  const rows = await rowsOf<
    Partial<HitRecord> & { tested: number; oldest_ms: number | null; oldest_id: string | null }
  >(
    db,
    sql`
    with walked as materialized (
      select ${conversations.id} as id, ${conversations.visitorId} as visitor_id,
        ${conversations.tags} as tags, ${conversations.lastMessageMinute} as minute,
        ${conversations.lastMessageAt} as at
      from ${conversations}
      where ${whereAll(search.filters, afterInList(at))}
      order by ${listOrder}
      limit ${step}
    )${said},
    oldest as (select at, id from walked order by minute, at, id limit 1)
    select (select count(*)::int from walked) as tested,
      (extract(epoch from oldest.at) * 1000)::float8 as oldest_ms, oldest.id as oldest_id,
      hit.id, hit.at_ms
    from (select 1) as one
    left join oldest on true
    left join lateral (
      select w.id, (extract(epoch from w.at) * 1000)::float8 as at_ms, w.minute, w.at
      from walked w
      where ${saidMatches}${tagsSearchDocument(sql`w.tags`)} @@ ${q} or ${visitorMatches}
      order by ${newestActivity({ minute: sql`w.minute`, at: sql`w.at`, id: sql`w.id` })}
      limit ${want}
    ) hit on true
    order by ${newestActivity({ minute: sql`hit.minute`, at: sql`hit.at`, id: sql`hit.id` })}`,
  );
  const [first] = rows;
  const full = first !== undefined && first.tested >= step;
  return {
    hits: rows.filter((r) => r.id).map((r) => toHit(r as HitRecord)),
    oldest:
      full && first.oldest_id && first.oldest_ms !== null
        ? { at: new Date(first.oldest_ms), id: first.oldest_id }
        : undefined,
  };
}

/**
 * Through the indexes: the newest `want` conversations after `at` with a matching message,
 * visitor or tag. `bounded`: the indexes give at most `indexMost` + 1 messages and
 * `conversationsMost` + 1 visitors and tags for what is asked (see indexQuery), each then
 * tested against the whole query where it must be; undefined when one of them has more (the
 * word is common there). Otherwise, every match, however many. The matching
 * conversations are found, the list's conditions applied to them, and only then are they
 * sorted: asked for them in order, PostgreSQL may walk the list looking each up, which for a
 * word it guesses common but is not is every conversation.
 */
export async function throughIndexes(
  db: Tx,
  search: ConversationSearch,
  at: KeysetPosition | undefined,
  want: number,
  bounded?: { asked: IndexAsk; bounds: ConversationBounds },
): Promise<{ hits?: ConversationHit[]; visitorIds?: string[] }> {
  const q = tsQuery(search.terms);
  const candidates = bounded?.asked.query ?? q;
  // What the index gave, tested against the whole query where it asked for less.
  const test = (document: SQL) => (bounded?.asked.recheck ? sql`${document} @@ ${q}` : sql`true`);
  const bound = (most: number) => (bounded ? sql`limit ${most + 1}` : sql``);
  const most = {
    messages: bounded?.bounds.indexMost ?? Infinity,
    others: bounded?.bounds.conversationsMost ?? Infinity,
  };
  const v = alias(visitors, 'v');
  const externalId = (id: SQL) =>
    search.externalId ? sql` or ${id} = ${search.externalId}` : sql``;
  const where = whereAll(search.filters, afterInList(at));
  const columns = sql`${conversations.id} as id, ${conversations.lastMessageMinute} as minute,
    ${conversations.lastMessageAt} as at`;
  // Tags are the conversation's own: its row is read once, with the list's conditions.
  const statement = sql`
    with visitor_candidate as materialized (
      select ${v.id} as id, ${visitorSearchDocument(v)} as document, ${v.externalId} as external_id
      from ${visitors} v where ${visitorSearchDocument(v)} @@ ${candidates}${externalId(sql`${v.externalId}`)}
      ${bound(most.others)}
    ), tag_candidate as materialized (
      select ${columns}, ${conversations.tags} as tags from ${conversations}
      where ${tagsSearchDocument(conversations.tags)} @@ ${candidates} and ${where}
      ${bound(most.others)}
    ), message_candidate as ${
      search.messages
        ? sql`materialized (
          select ${messages.conversationId} as id, ${messages.searchVector} as document
          from ${messages} where ${searchable} and ${messages.searchVector} @@ ${candidates}
          ${bound(most.messages)})`
        : sql`(select null::uuid as id, null::tsvector as document where false)`
    }, found as (
      select id, minute, at from tag_candidate where ${test(tagsSearchDocument(sql`tags`))}
      union
      select ${columns} from ${conversations} where ${where} and ${conversations.visitorId} in (
        select id from visitor_candidate where ${test(sql`document`)}${externalId(sql`external_id`)})
      union
      select ${columns} from ${conversations} where ${where} and ${conversations.id} in (
        select id from message_candidate where ${test(sql`document`)})
    )
    select (select count(*) from visitor_candidate)::int as visitors,
      (select count(*) from tag_candidate)::int as tags,
      (select count(*) from message_candidate)::int as messages,
      (select coalesce(array_agg(id), '{}') from visitor_candidate
        where ${test(sql`document`)}${externalId(sql`external_id`)}) as visitor_ids,
      hit.id, hit.at_ms
    from (select 1) as one
    left join lateral (
      select found.id, (extract(epoch from found.at) * 1000)::float8 as at_ms, found.minute,
        found.at
      from found
      order by ${newestActivity({ minute: sql`found.minute`, at: sql`found.at`, id: sql`found.id` })}
      limit ${want}
    ) hit on true
    order by ${newestActivity({ minute: sql`hit.minute`, at: sql`hit.at`, id: sql`hit.id` })}`;
  // Without a bound, the planner's choice (a scan may be the cheaper way to every match of a
  // common word), but no parallel workers: their start costs more than these reads.
  return db.transaction(async (tx) => {
    await tx.execute(bounded ? BITMAP_ONLY : sql`set local max_parallel_workers_per_gather = 0`);
    const rows = await rowsOf<
      Partial<HitRecord> & {
        visitors: number;
        tags: number;
        messages: number;
        visitor_ids: string[] | string;
      }
    >(tx, statement);
    const [counted] = rows;
    if (!counted) return {};
    const visitorIds =
      counted.visitors > most.others
        ? undefined
        : typeof counted.visitor_ids === 'string'
          ? parseUuidArray(counted.visitor_ids)
          : counted.visitor_ids;
    if (counted.messages > most.messages || Math.max(counted.visitors, counted.tags) > most.others)
      return { visitorIds };
    return { hits: rows.filter((r) => r.id).map((r) => toHit(r as HitRecord)), visitorIds };
  });
}
