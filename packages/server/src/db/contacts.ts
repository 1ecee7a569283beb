import { and, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import { conversations, visitors, visitorSearchDocument } from './schema.js';
import { tsQuery, type SearchTerm } from './search-query.js';
import type { VisitorRow } from './visitors.js';

// Contacts (issue 35): the visitors who chatted or left a message, each with how many
// conversations they have and when the last began. Expired conversations (retention) do not
// count: a visitor with only those is no longer a contact.

export type ContactRow = { visitor: VisitorRow; conversationCount: number; lastChatAt: Date };

/** The visitor's conversations that still have their content, counted, and the newest. */
const chatsOf = (db: Tx) =>
  db
    .select({
      count: sql<number>`count(*)::int`.as('conversation_count'),
      lastMs: sql<
        number | null
      >`(extract(epoch from max(${conversations.createdAt})) * 1000)::float8`.as('last_chat_ms'),
    })
    .from(conversations)
    .where(and(eq(conversations.visitorId, visitors.id), isNull(conversations.expiredAt)))
    .as('chats');

async function selectContacts(db: Tx, where: SQL | undefined, limit: number) {
  const chats = chatsOf(db);
  const rows = await db
    .select({ visitor: visitors, count: chats.count, lastMs: chats.lastMs })
    .from(visitors)
    .innerJoinLateral(chats, sql`${chats.count} > 0`)
    .where(and(isNull(visitors.expiredAt), where))
    .orderBy(desc(visitors.lastSeenAt), desc(visitors.id))
    .limit(limit);
  return rows.map((r): ContactRow => ({
    visitor: r.visitor,
    conversationCount: r.count,
    lastChatAt: new Date(r.lastMs ?? 0),
  }));
}

/** Past this many visitors matching, the words count as common: the list is walked instead. */
export const INDEX_MOST = 1_000;

/**
 * Last seen first; the cursor is the last row's (lastSeenAt, id), as on the Visitors page. The
 * walk down the index on last_seen_at stops at `limit` contacts. With search terms, the
 * visitors' search index is asked first, for at most INDEX_MOST of them: a rare word's (or a
 * word nobody has) are all there, and only they are sorted. Past that the words are common,
 * and the walk, testing each visitor's document, meets `limit` of them soon. (Left to the
 * planner, a word nobody has was a walk through every visitor: 136 ms at 15,000.)
 */
export async function listContacts(
  db: Tx,
  opts: {
    terms?: SearchTerm[];
    /** What was typed, for an exact match of the site's id for a person. */
    typed?: string;
    siteId?: string;
    after?: KeysetPosition;
    limit: number;
    /** INDEX_MOST but in tests, which take both ways with a handful of visitors. */
    indexMost?: number;
  },
): Promise<ContactRow[]> {
  const most = opts.indexMost ?? INDEX_MOST;
  const place = and(
    opts.siteId ? eq(visitors.siteId, opts.siteId) : undefined,
    after(visitors.lastSeenAt, visitors.id, opts.after),
  );
  if (!opts.terms?.length) return selectContacts(db, place, opts.limit);
  const found = or(
    sql`${visitorSearchDocument(visitors)} @@ ${tsQuery(opts.terms)}`,
    opts.typed ? eq(visitors.externalId, opts.typed) : undefined,
  );
  const candidates = await db
    .select({ id: visitors.id })
    .from(visitors)
    .where(found)
    .limit(most + 1);
  if (candidates.length <= most) {
    if (candidates.length === 0) return [];
    const ids = candidates.map((c) => c.id);
    return selectContacts(db, and(inArray(visitors.id, ids), place), opts.limit);
  }
  return selectContacts(db, and(found, place), opts.limit);
}

export async function findContact(db: Tx, id: string): Promise<ContactRow | null> {
  const [row] = await selectContacts(db, eq(visitors.id, id), 1);
  return row ?? null;
}

/**
 * The person's other records: visitors (on any site) who gave or showed one of `emails`, with
 * conversations of their own. Addresses compare without case, as erasure finds them.
 */
export function findRelatedContacts(
  db: Tx,
  visitorId: string,
  emails: string[],
  limit = 20,
): Promise<ContactRow[]> {
  if (emails.length === 0) return Promise.resolve([]);
  const lower = emails.map((e) => e.toLowerCase());
  return selectContacts(
    db,
    and(
      ne(visitors.id, visitorId),
      or(
        inArray(sql`lower(${visitors.email})`, lower),
        inArray(sql`lower(${visitors.confirmedEmail})`, lower),
      ),
    ),
    limit,
  );
}
