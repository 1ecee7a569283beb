import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import type { MessageRow } from './messages.js';
import {
  conversations,
  messages,
  tagsSearchDocument,
  users,
  visitors,
  visitorSearchDocument,
} from './schema.js';

/**
 * One thing to find: words that must follow one another in the text (one word, `INV-12345` as
 * `inv` then `12345`, or a quoted phrase). With `prefix`, the last one is a prefix.
 */
export type SearchTerm = { words: string[]; prefix: boolean };

/**
 * The terms as a tsquery: each term a phrase (`<->`), all of them required (`&`). The words are
 * letters and digits only (see parseSearch), so quoting them needs no escapes; to_tsquery
 * lowercases them and strips accents with the same configuration as the documents.
 */
function tsQuery(terms: readonly SearchTerm[]): SQL {
  const text = terms
    .map((t) => {
      const last = t.words.length - 1;
      const words = t.words.map((w, i) => `'${w}'${t.prefix && i === last ? ':*' : ''}`);
      return `(${words.join(' <-> ')})`;
    })
    .join(' & ');
  return sql`to_tsquery('parley_search', ${text})`;
}

const searchable = sql`${messages.type} <> 'system'`;
// With the partial index's condition, and the visitors' index expression spelled identically.
const messageMatches = (terms: readonly SearchTerm[]) =>
  sql`${searchable} and ${messages.searchVector} @@ ${tsQuery(terms)}`;
const visitorMatches = (terms: readonly SearchTerm[]) =>
  sql`${visitorSearchDocument(visitors)} @@ ${tsQuery(terms)}`;
const tagsMatch = (terms: readonly SearchTerm[]) =>
  sql`${tagsSearchDocument(conversations.tags)} @@ ${tsQuery(terms)}`;

// Newest first over all of history takes one of two ways, and PostgreSQL's estimates cannot be
// trusted to choose: for a word it has no statistics on (PGlite is never analyzed), it walks
// the whole table by time, testing every message (seen: a minute at 2M messages). Nor can a
// way be taken whose cost grows with history: on PGlite every other query waits while one
// runs. So search first tests the newest messages after the cursor, a bounded read in time
// order per statement, which answers any word said lately. Finding fewer than a page there,
// it asks the index for the word's matches, at most `indexMost` of them: a rare word's are
// all there, and the newest are sorted out. A word with more (common once, not lately: seen
// after a run of chats without it, 1.4 s at 2M messages to read and sort its 474,000 matches)
// is walked on by time, up to `steps` in all; then the page ends early, with a cursor from the
// last message tested. The index is not asked at all when the statistics know the word is
// common.

/** How far one search reads: messages per step of the walk, and the steps. */
export type SearchBounds = {
  /** Messages tested in time order by one statement (a few ms on PGlite). */
  step: number;
  /** Steps walked before the index is asked. */
  stepsBeforeIndex: number;
  /** Most matches the index may find for them to be read and sorted; past it, a word walks. */
  indexMost: number;
  /** Steps one search walks at most before it ends its page early. */
  steps: number;
};

export const SEARCH_BOUNDS: SearchBounds = {
  step: 2_500,
  stepsBeforeIndex: 2,
  indexMost: 500,
  steps: 40,
};

export type MessageHits = {
  /** The newest matches after the position, at most the limit, newest first. */
  rows: MessageHitRow[];
  /**
   * Null when `rows` are all there are down to the limit. Otherwise the oldest message the
   * search tested: older ones were not, and a page must not go past it.
   */
  searchedTo: KeysetPosition | null;
};

/**
 * The newest `limit` messages (notes too, system lines never) that match, after `position`,
 * each with its author's name when an agent wrote it; within `bounds`, fewer and where the
 * search stopped.
 */
export async function findMessageHits(
  db: Db,
  terms: readonly SearchTerm[],
  position: KeysetPosition | undefined,
  limit: number,
  bounds: SearchBounds = SEARCH_BOUNDS,
): Promise<MessageHits> {
  const rows: MessageHitRow[] = [];
  let at = position;
  for (let step = 1; ; step++) {
    const walked = await walkStep(db, terms, at, limit - rows.length, bounds.step);
    rows.push(...walked.hits);
    if (rows.length >= limit || !walked.oldest) return { rows, searchedTo: null };
    at = walked.oldest;
    if (step === bounds.stepsBeforeIndex && (await mayBeRare(db, terms, at, bounds.indexMost))) {
      const indexed = await findThroughIndex(db, terms, at, limit - rows.length, bounds.indexMost);
      if (indexed) return { rows: [...rows, ...indexed], searchedTo: null };
    }
    if (step >= bounds.steps) return { rows, searchedTo: at };
  }
}

const hitColumns = (m: SQL, u: SQL) => sql`${m}.id, ${m}.conversation_id, ${m}.seq, ${m}.sender,
  case when ${m}.sender = 'agent' then ${u}.name end as sender_name, ${m}.type, ${m}.content,
  (extract(epoch from ${m}.created_at) * 1000)::float8 as created_ms`;

type HitRecord = {
  id: string;
  conversation_id: string;
  seq: number;
  sender: MessageRow['sender'];
  sender_name: string | null;
  type: MessageRow['type'];
  content: string;
  created_ms: number;
};

const toHit = (r: HitRecord): MessageHitRow => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: r.seq,
  sender: r.sender,
  senderName: r.sender_name,
  type: r.type,
  content: r.content,
  createdAt: new Date(r.created_ms),
});

/**
 * One step of the walk: the next `step` messages after `at`, newest first, tested one by one;
 * their newest `want` matches, and the oldest of them (none when history ended in this step).
 */
async function walkStep(
  db: Db,
  terms: readonly SearchTerm[],
  at: KeysetPosition | undefined,
  want: number,
  step: number,
): Promise<{ hits: MessageHitRow[]; oldest: KeysetPosition | undefined }> {
  const rows = await rowsOf<
    Partial<HitRecord> & { tested: number; oldest_ms: number | null; oldest_id: string | null }
  >(
    db,
    sql`
    with recent as materialized (
      select ${messages.id}, ${messages.conversationId}, ${messages.seq}, ${messages.sender},
        ${messages.senderId}, ${messages.type}, ${messages.content}, ${messages.createdAt},
        ${messages.searchVector}
      from ${messages}
      where ${and(searchable, after(messages.createdAt, messages.id, at))}
      order by ${messages.createdAt} desc, ${messages.id} desc
      limit ${step}
    ),
    oldest as (select created_at, id from recent order by created_at, id limit 1)
    select (select count(*)::int from recent) as tested,
      (extract(epoch from oldest.created_at) * 1000)::float8 as oldest_ms, oldest.id as oldest_id,
      hit.*
    from (select 1) as one
    left join oldest on true
    left join lateral (
      select ${hitColumns(sql`r`, sql`u`)}
      from recent r left join ${users} u on u.id = r.sender_id
      where r.search_vector @@ ${tsQuery(terms)}
      order by r.created_at desc, r.id desc
      limit ${want}
    ) hit on true
    order by hit.created_ms desc, hit.id desc`,
  );
  const [first] = rows;
  const hits = rows.filter((r) => r.id).map((r) => toHit(r as HitRecord));
  const full = first !== undefined && first.tested >= step;
  return {
    hits,
    oldest:
      full && first.oldest_id && first.oldest_ms !== null
        ? { at: new Date(first.oldest_ms), id: first.oldest_id }
        : undefined,
  };
}

/**
 * False when PostgreSQL's statistics say that even the rarest word typed matches far more than
 * `most` messages after `at`. The index's cost is its bitmap, which for words that must all
 * match follows the rarest of them: for a common word, or a phrase of common words, asking it
 * would only cost that bitmap (70 ms for the 474,000 messages with "order" at 2M messages;
 * 36 ms for "refund has not arrived", whose words are each common). Each word is estimated on
 * its own, since the estimate of a phrase multiplies its words' odds (25 for 34,000). Without
 * statistics (PGlite is never analyzed) the estimates are small, and the index is asked.
 */
async function mayBeRare(
  db: Db,
  terms: readonly SearchTerm[],
  at: KeysetPosition,
  most: number,
): Promise<boolean> {
  const words = terms.flatMap((t) =>
    t.words.map((w, i) => ({ words: [w], prefix: t.prefix && i === t.words.length - 1 })),
  );
  for (const word of words) {
    const [row] = await rowsOf<{ 'QUERY PLAN': unknown }>(
      db,
      sql`explain (format json) select 1 from ${messages}
        where ${and(messageMatches([word]), after(messages.createdAt, messages.id, at))}`,
    );
    const plan = row?.['QUERY PLAN'];
    const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as
      Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined;
    const estimate = parsed?.[0]?.Plan?.['Plan Rows'];
    if (typeof estimate !== 'number' || estimate <= most * 10) return true;
  }
  return false;
}

/**
 * Through the index: every match after `at` when there are at most `most` of them (and then
 * the newest `want`), or undefined for a word with more. The matches come from the index as a
 * bitmap and are read from the table only up to `most` + 1, so a common word costs its
 * bitmap, not its rows.
 */
async function findThroughIndex(
  db: Db,
  terms: readonly SearchTerm[],
  at: KeysetPosition,
  want: number,
  most: number,
): Promise<MessageHitRow[] | undefined> {
  return db.transaction(async (tx) => {
    // The index's bitmap, whatever the statistics say: not the walk by time, nor a scan.
    await tx.execute(sql`set local enable_indexscan = off`);
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await rowsOf<HitRecord & { matched: number }>(
      tx,
      sql`
      select ${hitColumns(sql`m`, sql`u`)}, count(*) over ()::int as matched
      from (
        select ${messages.id}, ${messages.conversationId}, ${messages.seq}, ${messages.sender},
          ${messages.senderId}, ${messages.type}, ${messages.content}, ${messages.createdAt}
        from ${messages}
        where ${and(messageMatches(terms), after(messages.createdAt, messages.id, at))}
        limit ${most + 1}
      ) m left join ${users} u on u.id = m.sender_id
      order by m.created_at desc, m.id desc
      limit ${want}`,
    );
    if ((rows[0]?.matched ?? 0) > most) return undefined;
    return rows.map(toHit);
  });
}

export type MessageHitRow = {
  id: string;
  conversationId: string;
  seq: number;
  sender: MessageRow['sender'];
  senderName: string | null;
  type: MessageRow['type'];
  content: string;
  createdAt: Date;
};

/**
 * Conversations whose visitor's name or email or whose tags match, by latest activity. Visitors
 * and conversations are few beside messages: the indexes find them all, and they are sorted.
 * `externalId`: the query as typed, also looked for as a verified visitor's site id (exactly,
 * through the unique index on it).
 */
export async function findConversationHits(
  db: Tx,
  terms: readonly SearchTerm[],
  position: KeysetPosition | undefined,
  limit: number,
  externalId?: string,
) {
  return db
    .select({ conversationId: conversations.id, lastMessageAt: conversations.lastMessageAt })
    .from(conversations)
    .where(
      and(
        sql`${conversations.id} in (${matchedConversations(terms, externalId)})`,
        after(conversations.lastMessageAt, conversations.id, position),
      ),
    )
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(limit);
}

/** The ids of the conversations whose visitor or tags match, through their indexes. */
const matchedConversations = (terms: readonly SearchTerm[], externalId?: string) =>
  sql`select matched.id from ${conversations} matched where matched.visitor_id in (
      select ${visitors.id} from ${visitors} where ${visitorMatches(terms)}${
        externalId ? sql` or ${visitors.externalId} = ${externalId}` : sql``
      })
    union
    select ${conversations.id} from ${conversations} where ${tagsMatch(terms)}`;

/** What a hit shows of its conversation, and its tags to tell which matched. */
export async function findHitConversations(db: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: conversations.id,
      status: conversations.status,
      assigneeId: conversations.assigneeId,
      tags: conversations.tags,
      visitor: { id: visitors.id, name: visitors.name, email: visitors.email },
    })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .where(inArray(conversations.id, ids));
}

// --- the conversation list's text filter: its visitor or any of its messages matches ---

/** How many conversations of a list are tested in its order before the indexes are asked. */
export const LIST_TESTED_FIRST = 200;

/**
 * Tests each conversation it is applied to (the list's first LIST_TESTED_FIRST): a common word
 * is found among them without reading the index's many matches.
 */
export function conversationMatchesTested(terms: readonly SearchTerm[]): SQL {
  if (terms.length === 0) return sql`false`;
  return sql`(${visitorMatches(terms)} or ${tagsMatch(terms)} or exists (select 1 from ${messages}
    where ${messages.conversationId} = ${conversations.id} and ${messageMatches(terms)}))`;
}

/**
 * Through the indexes: the conversations of the matching messages, visitors and tags, one set,
 * then the list's conversations among them. For a rare word. (A semi-join, not `or`ed
 * `in`s: PostgreSQL hashes an `in` under `or` only if it fits in work_mem, and otherwise reads
 * it through once for every conversation of the list.)
 */
export function conversationMatchesIndexed(terms: readonly SearchTerm[]): SQL {
  if (terms.length === 0) return sql`false`;
  return sql`${conversations.id} in (
    select ${messages.conversationId} from ${messages} where ${messageMatches(terms)}
    union
    ${matchedConversations(terms)})`;
}
