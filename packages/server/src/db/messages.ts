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
import type { Db, Tx } from './client.js';
import { isUniqueViolation } from './errors.js';
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
  | { outcome: 'created'; message: MessageRow; visitorId: string }
  | { outcome: 'duplicate'; message: MessageRow }
  | { outcome: 'not_found' }
  | { outcome: 'closed' };

/**
 * Appends a message with the conversation's next seq, in one statement (and so one transaction
 * and one round trip to the database: this is the hot path of every chat).
 *
 * The UPDATE in the CTE takes the conversation row's lock and the next seq together, so
 * concurrent senders get 1, 2, 3… with no gap and no collision. A resend of a stored
 * (conversation, sender, clientId) breaks the unique index, which aborts the whole statement:
 * the seq bump is rolled back with it (no gap), and the stored message is returned instead.
 * There is deliberately no ON CONFLICT DO NOTHING: it would keep the bump and leave a gap.
 * `visitorId` restricts the append to that visitor's conversation; notes may be added to a
 * closed conversation, nothing else may.
 */
export async function appendMessage(
  db: Db,
  m: NewMessage,
  visitorId?: string,
): Promise<AppendResult> {
  const statement = appendStatement(db, {
    forVisitor: visitorId !== undefined,
    note: m.type === 'note',
    agentReply: m.sender === 'agent' && m.type === 'text',
  });
  let row: (MessageRow & { visitorId: string }) | undefined;
  try {
    [row] = await statement.execute({ ...m, visitorId: visitorId ?? null });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (!row) return explainMissedAppend(db, m, visitorId);
  const { visitorId: owner, ...message } = row;
  return { outcome: 'created', message, visitorId: owner };
}

type AppendShape = { forVisitor: boolean; note: boolean; agentReply: boolean };

/**
 * The append as a named prepared statement, one per shape of its WHERE and SET, built once per
 * database: every message would otherwise pay for building the SQL in drizzle and for parsing
 * and planning it in PostgreSQL (the bench's profile: a third of the hot path's CPU).
 */
function appendStatement(db: Db, shape: AppendShape) {
  const key = `append_message_${Number(shape.forVisitor)}${Number(shape.note)}${Number(shape.agentReply)}`;
  let cache = preparedAppends.get(db);
  if (!cache) preparedAppends.set(db, (cache = new Map()));
  let statement = cache.get(key);
  if (!statement) cache.set(key, (statement = prepareAppend(db, shape, key)));
  return statement;
}

const preparedAppends = new WeakMap<Db, Map<string, ReturnType<typeof prepareAppend>>>();

function prepareAppend(db: Db, { forVisitor, note, agentReply }: AppendShape, name: string) {
  const p = (key: keyof NewMessage | 'visitorId') => sql.placeholder(key);
  const bumped = db.$with('bumped').as(
    db
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
          eq(conversations.id, sql`${p('conversationId')}::uuid`),
          forVisitor ? eq(conversations.visitorId, sql`${p('visitorId')}::uuid`) : undefined,
          note ? undefined : ne(conversations.status, 'closed'),
        ),
      )
      .returning({
        id: conversations.id,
        lastSeq: conversations.lastSeq,
        visitorId: conversations.visitorId,
      }),
  );
  return db
    .with(bumped)
    .insert(messages)
    .select(
      db
        // insert … select takes every column, in the table's order.
        .select({
          id: sql<string>`gen_random_uuid()`.as('id'),
          conversationId: bumped.id,
          seq: bumped.lastSeq,
          clientId: sql<string | null>`${p('clientId')}::uuid`.as('client_id'),
          sender: sql<MessageRow['sender']>`${p('sender')}::text`.as('sender'),
          senderId: sql<string | null>`${p('senderId')}::uuid`.as('sender_id'),
          content: sql<string>`${p('content')}::text`.as('content'),
          type: sql<MessageRow['type']>`${p('type')}::text`.as('type'),
          readAt: sql<Date | null>`null::timestamptz`.as('read_at'),
          createdAt: sql<Date>`now()`.as('created_at'),
        })
        .from(bumped),
    )
    .returning({
      ...getTableColumns(messages),
      visitorId: sql<string>`(select ${bumped.visitorId} from ${bumped})`,
    })
    .prepare(name);
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
  return rows.map((row) => toMessage(row.message, row.senderName));
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
