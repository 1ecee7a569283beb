import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './client.js';
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
// trusted to choose: for a word it has no statistics on, it walks the whole table by time,
// testing every message (seen: a minute at 2M messages). So search first tests the newest
// messages after the cursor, a bounded read in time order, which answers any common word.
// Finding fewer than a page there means the word is rare, and then the index finds all its
// messages and the newest are sorted out: few, since it is rare.
/** Messages tested in time order before the index is asked (~10 ms on PostgreSQL). */
const RECENT_MESSAGES = 10_000;

/**
 * The newest `limit` messages (notes too, system lines never) that match, after `position`,
 * each with its author's name when an agent wrote it.
 */
export async function findMessageHits(
  db: Db,
  terms: readonly SearchTerm[],
  position: KeysetPosition | undefined,
  limit: number,
): Promise<MessageHitRow[]> {
  const recent = db
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      seq: messages.seq,
      sender: messages.sender,
      senderId: messages.senderId,
      type: messages.type,
      content: messages.content,
      createdAt: messages.createdAt,
      searchVector: messages.searchVector,
    })
    .from(messages)
    .where(and(searchable, after(messages.createdAt, messages.id, position)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(RECENT_MESSAGES)
    .as('recent');
  const newest = await db
    .select({
      id: recent.id,
      conversationId: recent.conversationId,
      seq: recent.seq,
      sender: recent.sender,
      senderName: sql<string | null>`case when ${recent.sender} = 'agent' then ${users.name} end`,
      type: recent.type,
      content: recent.content,
      createdAt: recent.createdAt,
    })
    .from(recent)
    .leftJoin(users, eq(users.id, recent.senderId))
    .where(sql`${recent.searchVector} @@ ${tsQuery(terms)}`)
    .orderBy(desc(recent.createdAt), desc(recent.id))
    .limit(limit);
  if (newest.length >= limit) return newest;
  return db.transaction(async (tx) => {
    // Not the walk by time: the index finds every match, then the newest are taken.
    await tx.execute(sql`set local enable_indexscan = off`);
    return tx
      .select({
        id: messages.id,
        conversationId: messages.conversationId,
        seq: messages.seq,
        sender: messages.sender,
        senderName: sql<
          string | null
        >`case when ${messages.sender} = 'agent' then ${users.name} end`,
        type: messages.type,
        content: messages.content,
        createdAt: messages.createdAt,
      })
      .from(messages)
      .leftJoin(users, eq(users.id, messages.senderId))
      .where(and(messageMatches(terms), after(messages.createdAt, messages.id, position)))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(limit);
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

/** What a hit shows of its conversation. */
export async function findHitConversations(db: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: conversations.id,
      status: conversations.status,
      assigneeId: conversations.assigneeId,
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
