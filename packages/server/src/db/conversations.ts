import type { Conversation, ConversationListItem, VisitorConversation } from '@parley/protocol';
import {
  and,
  arrayContains,
  desc,
  eq,
  gt,
  inArray,
  isNull,
  lt,
  lte,
  ne,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Db, Tx } from './client.js';
import { messageColumns, type MessageRow } from './messages.js';
import { attachTo } from './attachments.js';
import { conversations, messages, users, visitors, type MessageAttachment } from './schema.js';
import type { SearchTerm } from './search-query.js';
import { findConversations } from './search-conversations.js';
import { uuid7 } from './uuid7.js';

export type ConversationRow = typeof conversations.$inferSelect;
type NewConversation = typeof conversations.$inferInsert;

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  visitorId: r.visitorId,
  assigneeId: r.assigneeId,
  siteId: r.siteId,
  teamId: r.teamId,
  status: r.status,
  tags: r.tags,
  notes: r.notes,
  rating: r.rating,
  ratingComment: r.ratingComment,
  lastSeq: r.lastSeq,
  firstResponseAt: r.firstResponseAt?.toISOString() ?? null,
  closedAt: r.closedAt?.toISOString() ?? null,
  lastMessageAt: r.lastMessageAt.toISOString(),
  createdAt: r.createdAt.toISOString(),
});

/**
 * A conversation whose content retention deleted keeps only the figures the reports count: it
 * is in no list and no view, and cannot be found by id (issue 35).
 */
const live = isNull(conversations.expiredAt);

export async function findConversation(db: Tx, id: string): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), live));
  return row ?? null;
}

/** The first message of a new conversation: its sender chose the clientId. */
export type FirstMessage = {
  clientId: string;
  sender: 'visitor' | 'agent';
  senderId: string;
  content: string;
  attachments?: MessageAttachment[] | null;
};

/**
 * Opens a conversation for the visitor with its first message, in one transaction: both are
 * stored, or neither is. Null when the visitor already has an active conversation: the
 * partial unique index on visitor_id makes two tabs (or two instances) racing end with one,
 * and the caller adds the message to that one instead. `assigneeId`: an agent who opens it
 * (a proactive chat) holds it at once.
 */
export async function openConversationWith(
  db: Db,
  visitorId: string,
  first: FirstMessage,
  place: { siteId: string; teamId: string | null; assigneeId?: string },
): Promise<{ row: ConversationRow; message: MessageRow } | null> {
  const { siteId, teamId, assigneeId } = place;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(conversations)
      .values({
        visitorId,
        siteId,
        teamId,
        lastSeq: 1,
        ...(assigneeId ? { assigneeId, status: 'open' as const } : {}),
        // As an append would. An agent's opening message answers nothing: the first response
        // is theirs (or a colleague's) once the visitor has written.
        ...(first.sender === 'visitor' ? { firstVisitorMessageAt: sql`now()` } : {}),
      })
      .onConflictDoNothing({ target: conversations.visitorId, where: sql`status <> 'closed'` })
      .returning();
    if (!row) return null;
    const [message] = await tx
      .insert(messages)
      .values({
        id: uuid7(),
        conversationId: row.id,
        seq: 1,
        clientId: first.clientId,
        sender: first.sender,
        senderId: first.senderId,
        content: first.content,
        type: 'text',
        attachments: first.attachments ?? null,
      })
      .returning(messageColumns);
    if (!message) throw new Error('Message insert returned nothing');
    await attachTo(tx, message);
    return { row, message };
  });
}

export async function deleteConversationRow(db: Tx, id: string): Promise<ConversationRow | null> {
  const [row] = await db.delete(conversations).where(eq(conversations.id, id)).returning();
  return row ?? null;
}

export async function findActiveConversation(
  db: Tx,
  visitorId: string,
): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.visitorId, visitorId), ne(conversations.status, 'closed')));
  return row ?? null;
}

/** The visitor's active conversation, else the latest closed one. */
export async function findLatestConversation(
  db: Tx,
  visitorId: string,
): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.visitorId, visitorId), live))
    .orderBy(sql`${conversations.status} = 'closed'`, desc(conversations.createdAt))
    .limit(1);
  return row ?? null;
}

export async function listVisitorConversations(db: Tx, visitorId: string, limit = 50) {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.visitorId, visitorId), live))
    .orderBy(desc(conversations.createdAt))
    .limit(limit);
}

/** Conditions an update may require, so that check and change are one statement. */
export type UpdateGuard = {
  /** Only while the conversation waits in the queue, unassigned (routing). */
  queued?: boolean;
  /** Only while it is not closed. */
  notClosed?: boolean;
  /** Only if it belongs to this visitor. */
  visitorId?: string;
};

export async function updateConversation(
  db: Tx,
  id: string,
  values: Partial<NewConversation>,
  guard: UpdateGuard = {},
): Promise<ConversationRow | null> {
  const where = and(
    eq(conversations.id, id),
    guard.queued
      ? and(eq(conversations.status, 'pending'), isNull(conversations.assigneeId))
      : undefined,
    guard.notClosed ? ne(conversations.status, 'closed') : undefined,
    guard.visitorId ? eq(conversations.visitorId, guard.visitorId) : undefined,
  );
  // Setting what already holds leaves nothing to set (closing a closed conversation, say): the
  // row as it stands, under the same guard, rather than an UPDATE with no columns.
  if (!hasValues(values)) {
    const [row] = await db.select().from(conversations).where(where);
    return row ?? null;
  }
  const [row] = await db.update(conversations).set(values).where(where).returning();
  return row ?? null;
}

/** Whether a patch sets anything (a key whose value is undefined sets nothing). */
export const hasValues = (values: object): boolean =>
  Object.values(values).some((value) => value !== undefined);

/**
 * Oldest first: the queue is served in arrival order. `after` continues past a page whose
 * conversations could not all be routed (their team had nobody with room).
 */
export async function listQueued(
  db: Tx,
  limit: number,
  after?: { createdAt: Date; id: string },
): Promise<Array<{ id: string; siteId: string; teamId: string | null; createdAt: Date }>> {
  return db
    .select({
      id: conversations.id,
      siteId: conversations.siteId,
      teamId: conversations.teamId,
      createdAt: conversations.createdAt,
    })
    .from(conversations)
    .where(
      and(
        eq(conversations.status, 'pending'),
        isNull(conversations.assigneeId),
        after
          ? or(
              gt(conversations.createdAt, after.createdAt),
              and(eq(conversations.createdAt, after.createdAt), gt(conversations.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(conversations.createdAt, conversations.id)
    .limit(limit);
}

/** The visitor's view of a conversation: the agents' view less tags and notes, plus the
 * assignee's name. */
export async function toVisitorConversation(
  db: Tx,
  row: Conversation,
): Promise<VisitorConversation> {
  let assignee: VisitorConversation['assignee'] = null;
  if (row.assigneeId) {
    const [agent] = await db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(eq(users.id, row.assigneeId));
    assignee = agent ?? null;
  }
  return {
    id: row.id,
    status: row.status,
    assignee,
    rating: row.rating,
    lastSeq: row.lastSeq,
    closedAt: row.closedAt,
    createdAt: row.createdAt,
  };
}

// --- the agents' list ---

type ListRow = Awaited<ReturnType<typeof listQuery>>[number];

const toListItem = (r: ListRow): ConversationListItem => ({
  ...toConversation(r.conversation),
  visitor: r.visitor,
  lastMessage: r.lastMessage
    ? { ...r.lastMessage, createdAt: r.lastMessage.createdAt.toISOString() }
    : null,
  unreadCount: r.unreadCount,
});

function listQuery(db: Tx) {
  // The last message a person wrote: the newest by seq that is not a system line, usually
  // the last one or the one before.
  const lastWritten = db
    .select({
      content: messages.content,
      sender: messages.sender,
      senderId: messages.senderId,
      senderName: sql<
        string | null
      >`case when ${messages.sender} = 'agent' then ${users.name} end`.as('last_sender_name'),
      type: messages.type,
      fileCount: sql<number>`coalesce(jsonb_array_length(${messages.attachments}), 0)`.as(
        'last_file_count',
      ),
      createdAt: messages.createdAt,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.senderId))
    .where(and(eq(messages.conversationId, conversations.id), ne(messages.type, 'system')))
    .orderBy(desc(messages.seq))
    .limit(1)
    .as('last_message');
  return db
    .select({
      conversation: conversations,
      visitor: {
        id: visitors.id,
        name: visitors.name,
        email: visitors.email,
        online: visitors.online,
      },
      lastMessage: {
        content: lastWritten.content,
        sender: lastWritten.sender,
        senderId: lastWritten.senderId,
        senderName: lastWritten.senderName,
        type: lastWritten.type,
        fileCount: lastWritten.fileCount,
        createdAt: lastWritten.createdAt,
      },
      unreadCount: sql<number>`(select count(*)::int from ${messages} m
        where m.conversation_id = ${conversations.id} and m.sender = 'visitor' and m.read_at is null)`,
    })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoinLateral(lastWritten, sql`true`);
}

export async function findConversationListItem(
  db: Tx,
  id: string,
): Promise<ConversationListItem | null> {
  const [row] = await listQuery(db).where(and(eq(conversations.id, id), live));
  return row ? toListItem(row) : null;
}

export type ConversationFilter = {
  status?: ConversationRow['status'];
  tag?: string;
  /** An agent id, or null for unassigned. */
  assigneeId?: string | null;
  siteId?: string;
  /** In one of these teams' queues. */
  teamIds?: string[];
  /** What the agent typed, as search terms (see parseSearch). */
  terms?: SearchTerm[];
  after?: { at: Date; id: string };
  limit: number;
};

/**
 * Newest activity first; keyset pagination on (lastMessageAt, id). With search terms, the
 * matching conversations of the page are found first (db/search-conversations.ts), then read.
 */
export async function listConversations(
  db: Tx,
  f: ConversationFilter,
): Promise<ConversationListItem[]> {
  const filters = and(
    live,
    f.status ? eq(conversations.status, f.status) : undefined,
    f.tag ? arrayContains(conversations.tags, [f.tag]) : undefined,
    f.siteId ? eq(conversations.siteId, f.siteId) : undefined,
    f.teamIds
      ? f.teamIds.length > 0
        ? inArray(conversations.teamId, f.teamIds)
        : sql`false`
      : undefined,
    f.assigneeId === undefined
      ? undefined
      : f.assigneeId === null
        ? isNull(conversations.assigneeId)
        : eq(conversations.assigneeId, f.assigneeId),
    f.after
      ? and(
          // Implied by the next line; it lets the index on the minute find where to start.
          lte(
            conversations.lastMessageMinute,
            sql`date_trunc('minute', ${f.after.at.toISOString()}::timestamptz)`,
          ),
          or(
            lt(conversations.lastMessageAt, f.after.at),
            and(eq(conversations.lastMessageAt, f.after.at), lt(conversations.id, f.after.id)),
          ),
        )
      : undefined,
  );
  const page = async (where: SQL | undefined) =>
    (
      await listQuery(db)
        .where(where)
        .orderBy(...listOrder)
        .limit(f.limit)
    ).map(toListItem);
  if (!f.terms) return page(filters);
  const found = await findConversations(db, { terms: f.terms, messages: true, filters }, f.limit);
  if (found.length === 0) return [];
  return page(
    inArray(
      conversations.id,
      found.map((c) => c.id),
    ),
  );
}

// The same order as (lastMessageAt, id), since the minute is lastMessageAt's: the index gives
// the minutes in order and only each minute's conversations are sorted.
const listOrder = [
  desc(conversations.lastMessageMinute),
  desc(conversations.lastMessageAt),
  desc(conversations.id),
];

/**
 * The last seq of each of `ids` that exists (and, with `visitorId`, belongs to that visitor):
 * what `sync` may read, and how far each conversation goes.
 */
export async function lastSeqsOf(
  db: Tx,
  ids: string[],
  visitorId?: string,
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(
      and(
        inArray(conversations.id, ids),
        visitorId ? eq(conversations.visitorId, visitorId) : undefined,
      ),
    );
  return new Map(rows.map((r) => [r.id, r.lastSeq]));
}
