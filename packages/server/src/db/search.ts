import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import type { MessageRow } from './messages.js';
import { conversations, messages, users, visitors } from './schema.js';
import {
  BITMAP_ONLY,
  indexQuery,
  searchable,
  stepSize,
  tsQuery,
  type IndexAsk,
  type SearchTerm,
} from './search-query.js';

// Newest first over all of history takes one of two ways, and PostgreSQL's estimates cannot be
// trusted to choose: for a word without statistics, it walks the whole table by time, testing
// every message (seen: a minute at 2M messages). Nor can a way be taken whose cost grows with
// history: on PGlite every other query waits while one runs. So search tests the newest
// messages after the cursor, a bounded read in time order per statement, which finds any word
// said lately: first a few (a word said often is among them), then as many as the rate found
// calls for. After the first step it asks the statistics whether even the rarest word typed
// is common (see indexQuery). If it may be rare, the index gives the word's matches, at most
// `indexMost` of them: a rare word's are all there, and the newest are sorted out. A word with
// more (said often, or common once and not lately: seen after a run of chats without it,
// 1.4 s at 2M messages to read and sort its 474,000 matches) is walked on by time, up to
// `steps` in all; then the page ends early, with a cursor from the last message tested.

/** How far one search reads: messages per step of the walk, and the steps. */
export type SearchBounds = {
  /** Messages tested in time order by one statement (a few ms on PGlite). */
  step: number;
  /** The first statement's, fewer: a word said often is found among the newest (`step`). */
  firstStep?: number;
  /** Steps walked before the index is asked. */
  stepsBeforeIndex: number;
  /** Most matches the index may find for them to be read and sorted; past it, a word walks. */
  indexMost: number;
  /** Steps one search walks at most before it ends its page early. */
  steps: number;
};

export const SEARCH_BOUNDS: SearchBounds = {
  step: 2_500,
  firstStep: 500,
  stepsBeforeIndex: 1,
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
  let tested = 0;
  let asking: Promise<IndexAsk | undefined> | undefined;
  for (let step = 0; ; step++) {
    const asked =
      step === bounds.stepsBeforeIndex
        ? await (asking ?? indexQuery(db, terms, bounds.indexMost, at))
        : undefined;
    if (asked) {
      const want = limit - rows.length;
      const indexed = await findThroughIndex(db, terms, asked, at, want, bounds.indexMost);
      if (indexed) return { rows: [...rows, ...indexed], searchedTo: null };
    }
    if (at && step >= bounds.steps) return { rows, searchedTo: at };
    const size = stepSize(bounds, tested, rows.length, limit);
    const walking = walkStep(db, terms, at, limit - rows.length, size);
    // The statistics are read while the step before them walks (on PostgreSQL, in the same
    // round trip's time); awaited above, or left once the walk alone fills the page.
    if (step + 1 === bounds.stepsBeforeIndex) {
      asking = indexQuery(db, terms, bounds.indexMost, at);
      asking.catch(() => {});
    }
    const walked = await walking;
    tested += size;
    rows.push(...walked.hits);
    if (rows.length >= limit || !walked.oldest) return { rows, searchedTo: null };
    at = walked.oldest;
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
 * Through the index: every match after `at` when the index gives at most `most` candidates
 * for what is `asked` (see indexQuery), each tested against the whole query where it must be,
 * and then the newest `want`; or undefined for a word with more. The candidates come from the
 * index as a bitmap and are read from the table only up to `most` + 1, so a common word costs
 * its bitmap, not its rows.
 */
async function findThroughIndex(
  db: Db,
  terms: readonly SearchTerm[],
  asked: IndexAsk,
  at: KeysetPosition | undefined,
  want: number,
  most: number,
): Promise<MessageHitRow[] | undefined> {
  return db.transaction(async (tx) => {
    await tx.execute(BITMAP_ONLY);
    const rows = await rowsOf<Partial<HitRecord> & { candidates: number }>(
      tx,
      sql`
      with candidate as materialized (
        select ${messages.id}, ${messages.conversationId}, ${messages.seq}, ${messages.sender},
          ${messages.senderId}, ${messages.type}, ${messages.content}, ${messages.createdAt},
          ${messages.searchVector}
        from ${messages}
        where ${and(searchable, sql`${messages.searchVector} @@ ${asked.query}`, after(messages.createdAt, messages.id, at))}
        limit ${most + 1}
      )
      select (select count(*)::int from candidate) as candidates, hit.*
      from (select 1) as one
      left join lateral (
        select ${hitColumns(sql`m`, sql`u`)}
        from candidate m left join ${users} u on u.id = m.sender_id
        where ${asked.recheck ? sql`m.search_vector @@ ${tsQuery(terms)}` : sql`true`}
        order by m.created_at desc, m.id desc
        limit ${want}
      ) hit on true
      order by hit.created_ms desc, hit.id desc`,
    );
    if ((rows[0]?.candidates ?? 0) > most) return undefined;
    return rows.filter((r) => r.id).map((r) => toHit(r as HitRecord));
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
