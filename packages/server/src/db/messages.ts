import type { Message } from '@parley/protocol';
import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from './client.js';
import { conversations, messages, users } from './schema.js';

export type MessageRow = typeof messages.$inferSelect;

export const toMessage = (r: MessageRow, senderName: string | null): Message => ({
  id: r.id,
  conversationId: r.conversationId,
  seq: r.seq,
  clientId: r.clientId,
  sender: r.sender,
  senderId: r.senderId,
  senderName,
  content: r.content,
  type: r.type,
  readAt: r.readAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

export type NewMessage = {
  conversationId: string;
  clientId: string | null;
  sender: MessageRow['sender'];
  senderId: string | null;
  content: string;
  type: MessageRow['type'];
};

export type AppendResult =
  | { outcome: 'created'; message: MessageRow; conversation: typeof conversations.$inferSelect }
  | { outcome: 'duplicate'; message: MessageRow }
  | { outcome: 'not_found' }
  | { outcome: 'closed' };

class Duplicate extends Error {}

/**
 * Appends a message with the conversation's next seq, in one transaction.
 *
 * The UPDATE takes the conversation row's lock and the next seq together, so concurrent senders
 * get 1, 2, 3… with no gap and no collision. A resend of a stored (conversation, sender,
 * clientId) hits the unique index: the transaction is rolled back (the seq is not used) and the
 * stored message is returned instead. `visitorId` restricts the append to that visitor's
 * conversation; notes may be added to a closed conversation, nothing else may.
 */
export async function appendMessage(
  db: Db,
  m: NewMessage,
  visitorId?: string,
): Promise<AppendResult> {
  const agentReply = m.sender === 'agent' && m.type === 'text';
  let result: AppendResult;
  try {
    result = await db.transaction(async (tx) => {
      const [conversation] = await tx
        .update(conversations)
        .set({
          lastSeq: sql`${conversations.lastSeq} + 1`,
          lastMessageAt: sql`now()`,
          ...(agentReply
            ? { firstResponseAt: sql`coalesce(${conversations.firstResponseAt}, now())` }
            : {}),
        })
        .where(
          and(
            eq(conversations.id, m.conversationId),
            visitorId ? eq(conversations.visitorId, visitorId) : undefined,
            m.type === 'note' ? undefined : ne(conversations.status, 'closed'),
          ),
        )
        .returning();
      if (!conversation) return { outcome: 'not_found' as const };
      const [message] = await tx
        .insert(messages)
        .values({ ...m, seq: conversation.lastSeq })
        .onConflictDoNothing()
        .returning();
      if (!message) throw new Duplicate();
      return { outcome: 'created' as const, message, conversation };
    });
  } catch (error) {
    if (!(error instanceof Duplicate)) throw error;
    result = { outcome: 'not_found' };
  }
  return result.outcome === 'not_found' ? explainMissedAppend(db, m, visitorId) : result;
}

/** Why an append found no conversation: a stored resend, a closed conversation, or none. */
async function explainMissedAppend(
  db: Tx,
  m: NewMessage,
  visitorId?: string,
): Promise<AppendResult> {
  const stored = await findByClientId(db, m);
  if (stored) return { outcome: 'duplicate', message: stored };
  const [c] = await db
    .select({ status: conversations.status })
    .from(conversations)
    .where(
      and(
        eq(conversations.id, m.conversationId),
        visitorId ? eq(conversations.visitorId, visitorId) : undefined,
      ),
    );
  return c?.status === 'closed' ? { outcome: 'closed' } : { outcome: 'not_found' };
}

async function findByClientId(db: Tx, m: NewMessage): Promise<MessageRow | null> {
  if (!m.clientId) return null;
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, m.conversationId),
        eq(messages.sender, m.sender),
        eq(messages.clientId, m.clientId),
      ),
    );
  return row ?? null;
}

const withSenderName = {
  message: messages,
  senderName: sql<string | null>`case when ${messages.sender} = 'agent' then ${users.name} end`,
};

function selectWithNames(db: Tx) {
  return db
    .select(withSenderName)
    .from(messages)
    .leftJoin(users, eq(users.id, messages.senderId));
}

export type MessageRange = {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
  /** Visitors never see notes. */
  includeNotes: boolean;
};

/**
 * Messages of one conversation in seq order. With only `beforeSeq` (scrolling back), the newest
 * `limit` before it; otherwise the oldest `limit` after `afterSeq`.
 */
export async function listMessages(
  db: Tx,
  conversationId: string,
  r: MessageRange,
): Promise<Message[]> {
  const where = and(
    eq(messages.conversationId, conversationId),
    r.afterSeq !== undefined ? gt(messages.seq, r.afterSeq) : undefined,
    r.beforeSeq !== undefined ? sql`${messages.seq} < ${r.beforeSeq}` : undefined,
    r.includeNotes ? undefined : ne(messages.type, 'note'),
  );
  const backwards = r.beforeSeq !== undefined && r.afterSeq === undefined;
  const rows = await selectWithNames(db)
    .where(where)
    .orderBy(backwards ? desc(messages.seq) : asc(messages.seq))
    .limit(r.limit);
  if (backwards) rows.reverse();
  return rows.map((row) => toMessage(row.message, row.senderName));
}

/**
 * What a client missed: for each conversation, the messages after the seq it gave, in order,
 * at most `perConversation` each. The caller passes only conversations it may read.
 */
export async function listMissedMessages(
  db: Tx,
  since: Record<string, number>,
  opts: { includeNotes: boolean; perConversation: number },
): Promise<{ messages: Message[]; incomplete: string[] }> {
  const ids = Object.keys(since);
  if (ids.length === 0) return { messages: [], incomplete: [] };
  const pairs = sql.join(
    ids.map((id) => sql`(${id}::uuid, ${since[id] ?? 0}::int)`),
    sql`, `,
  );
  const lastSeen = sql`(select v.seq from (values ${pairs}) as v(id, seq)
    where v.id = ${messages.conversationId})`;
  const rows = await selectWithNames(db)
    .where(
      and(
        inArray(messages.conversationId, ids),
        sql`${messages.seq} - ${lastSeen} between 1 and ${opts.perConversation}`,
        opts.includeNotes ? undefined : ne(messages.type, 'note'),
      ),
    )
    .orderBy(asc(messages.conversationId), asc(messages.seq));
  const result = rows.map((row) => toMessage(row.message, row.senderName));
  const incomplete = await conversationsBeyond(db, since, opts.perConversation);
  return { messages: result, incomplete };
}

async function conversationsBeyond(
  db: Tx,
  since: Record<string, number>,
  perConversation: number,
): Promise<string[]> {
  const ids = Object.keys(since);
  const rows = await db
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(inArray(conversations.id, ids));
  return rows.filter((r) => r.lastSeq > (since[r.id] ?? 0) + perConversation).map((r) => r.id);
}

/** Marks the other side's messages up to `seq` read; returns how many changed. */
export async function markRead(
  db: Tx,
  conversationId: string,
  readerSide: 'visitor' | 'agent',
  seq: number,
): Promise<number> {
  const authors = readerSide === 'agent' ? ['visitor' as const] : ['agent' as const];
  const rows = await db
    .update(messages)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(messages.conversationId, conversationId),
        inArray(messages.sender, authors),
        lte(messages.seq, seq),
        isNull(messages.readAt),
        ne(messages.type, 'note'),
      ),
    )
    .returning({ id: messages.id });
  return rows.length;
}
