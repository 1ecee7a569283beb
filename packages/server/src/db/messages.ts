import type { Message } from '@parley/protocol';
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNull,
  lte,
  ne,
  sql,
} from 'drizzle-orm';
import type { Tx } from './client.js';
import { toAttachment } from './attachments.js';
import { messages, users } from './schema.js';

// A message as Parley reads it: every column but the search document, which only search reads
// (and which is as large as the text).
const { searchVector: _searchVector, ...columns } = getTableColumns(messages);
export const messageColumns = columns;
export type MessageRow = Omit<typeof messages.$inferSelect, 'searchVector'>;

/** `fromBot`: the sender is a bot member (users.kind), which both sides see marked. */
export const toMessage = (r: MessageRow, senderName: string | null, fromBot = false): Message => ({
  id: r.id,
  conversationId: r.conversationId,
  seq: r.seq,
  clientId: r.clientId,
  sender: r.sender,
  senderId: r.senderId,
  senderName,
  fromBot,
  content: r.content,
  type: r.type,
  attachments: r.attachments?.map(toAttachment) ?? [],
  readAt: r.readAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  ...(r.emailFrom ? { emailFrom: r.emailFrom } : {}),
  ...(r.mentions?.length ? { mentions: r.mentions } : {}),
});

const withSenderName = {
  message: messageColumns,
  senderName: sql<string | null>`case when ${messages.sender} = 'agent' then ${users.name} end`,
  fromBot: sql<boolean>`coalesce(${users.kind} = 'bot', false)`,
};

function selectWithNames(db: Tx) {
  return db.select(withSenderName).from(messages).leftJoin(users, eq(users.id, messages.senderId));
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
  return rows.map((row) => toMessage(row.message, row.senderName, row.fromBot));
}

/**
 * What a client missed: for each conversation, the messages after the seq it gave, in order,
 * at most `perConversation` each. The caller passes only conversations it may read.
 */
export async function listMissedMessages(
  db: Tx,
  since: Record<string, number>,
  opts: { includeNotes: boolean; perConversation: number },
): Promise<Message[]> {
  const ids = Object.keys(since);
  if (ids.length === 0) return [];
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
  return rows.map((row) => toMessage(row.message, row.senderName, row.fromBot));
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
