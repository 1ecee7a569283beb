import { and, eq, isNull } from 'drizzle-orm';
import { namedQueryOf, type Db, type Tx } from './client.js';
import { isUniqueViolation } from './errors.js';
import { messageColumns, type MessageRow } from './messages.js';
import { conversations, messages, type MessageAttachment } from './schema.js';
import { uuid7 } from './uuid7.js';

// The message appender: every message is stored here, batched per database, each with its
// conversation's next seq (docs/architecture.md "The path of a message").

export type NewMessage = {
  conversationId: string;
  clientId: string | null;
  sender: MessageRow['sender'];
  senderId: string | null;
  content: string;
  type: MessageRow['type'];
  /** The files it sends, uploaded by its sender (services/attachments.ts checks). */
  attachments?: MessageAttachment[] | null;
  /** A visitor's reply by email: the address it came from. */
  emailFrom?: string | null;
  /** A note's @mentions: teammates' ids (services/messages.ts checks them). */
  mentions?: string[] | null;
};

export type AppendResult =
  | { outcome: 'created'; message: MessageRow; visitorId: string }
  | { outcome: 'duplicate'; message: MessageRow }
  | { outcome: 'not_found' }
  | { outcome: 'closed' };

/**
 * Appends a message with the conversation's next seq. Messages sent at the same moment (from any
 * conversations) are stored together: one statement, one transaction, one commit for the whole
 * batch, so the database pays its per-statement and per-commit costs once per batch instead of
 * once per message. Each caller still gets its answer only after that commit.
 *
 * `visitorId` restricts the append to that visitor's conversation; notes may be added to a
 * closed conversation, nothing else may. A resend (same conversation, sender and clientId)
 * stores nothing and returns the stored message.
 */
export function appendMessage(db: Db, m: NewMessage, visitorId?: string): Promise<AppendResult> {
  let appender = appenders.get(db);
  if (!appender) appenders.set(db, (appender = new Appender(db)));
  // The row as it will be stored: its seq and time are filled in by the commit.
  const row: MessageRow = {
    id: uuid7(),
    conversationId: m.conversationId,
    seq: 0,
    clientId: m.clientId,
    sender: m.sender,
    senderId: m.senderId,
    content: m.content,
    type: m.type,
    attachments: m.attachments ?? null,
    emailFrom: m.emailFrom ?? null,
    mentions: m.mentions?.length ? m.mentions : null,
    readAt: null, // a message is unread when stored
    createdAt: new Date(0),
  };
  return appender.append({ row, visitorId: visitorId ?? null });
}

const appenders = new WeakMap<Db, Appender>();

/** A message to store, and the visitor it is restricted to (see appendMessage). */
type Pending = { row: MessageRow; visitorId: string | null };
/** What storing a message added to it, with the visitor its conversation belongs to. */
type Stored = { seq: number; createdAt: Date; owner: string };
type Waiter = { m: Pending; resolve: (r: AppendResult) => void; reject: (e: unknown) => void };

/** Batches in flight at once: enough to keep a pool busy, few enough to keep batches large. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 256;

/**
 * The group commit behind `appendMessage`. No timer: a batch leaves as soon as a slot is free,
 * so a lone message waits for nothing, and whatever arrives while every slot is busy goes in
 * the next batch together. A conversation is in one batch in flight at a time, so that this
 * instance stores each conversation's messages in the order they arrived.
 */
class Appender {
  private queue: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Conversations with messages in a batch in flight. */
  private readonly busy = new Set<string>();

  constructor(private readonly db: Db) {}

  append(m: Pending): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ m, resolve, reject });
      if (this.inFlight < MAX_IN_FLIGHT && !this.scheduled) {
        // After the current I/O callbacks: the messages read in the same turn leave together.
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return; // all waiting for their conversation's batch in flight
      const conversations = new Set(batch.map((w) => w.m.row.conversationId));
      for (const id of conversations) this.busy.add(id);
      this.inFlight++;
      void this.store(batch).finally(() => {
        for (const id of conversations) this.busy.delete(id);
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * The next batch, in arrival order. A message waits for a later batch when its conversation
   * is in one in flight, or when it resends a message already in this one; the messages of its
   * conversation after it wait too, so that none overtakes it.
   */
  private takeBatch(): Waiter[] {
    const batch: Waiter[] = [];
    const keys = new Set<string>();
    /** Conversations with a message held back in this pass (besides those in flight). */
    const held = new Set<string>();
    const rest: Waiter[] = [];
    for (const w of this.queue) {
      const { conversationId, senderId, clientId } = w.m.row;
      const key = clientId && `${conversationId}:${senderId}:${clientId}`;
      if (
        batch.length >= MAX_BATCH ||
        this.busy.has(conversationId) ||
        held.has(conversationId) ||
        (key && keys.has(key))
      ) {
        held.add(conversationId);
        rest.push(w);
        continue;
      }
      if (key) keys.add(key);
      batch.push(w);
    }
    this.queue = rest;
    return batch;
  }

  /**
   * Stores a batch as if none of it were a resend: the unique index on clientId is then the
   * check, and costs nothing more. When one is a resend, the statement fails and changes
   * nothing, and the batch goes again with each clientId looked up first.
   */
  private async store(batch: Waiter[], lookUpResends = false): Promise<void> {
    let rows: Map<string, Stored>;
    try {
      rows = await insertBatch(
        this.db,
        batch.map((w) => w.m),
        lookUpResends,
      );
    } catch (error) {
      if (!lookUpResends && isUniqueViolation(error)) return this.store(batch, true);
      // A resend racing its original (from another instance) breaks the unique index and
      // aborts the whole statement, as would any one bad message: each is then stored on its
      // own, in order, so that only the one at fault fails.
      if (batch.length > 1) {
        for (const w of batch) await this.store([w], true);
        return;
      }
      if (!isUniqueViolation(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
      rows = new Map();
    }
    const missed: Promise<void>[] = [];
    for (const { m, resolve, reject } of batch) {
      const { row: message } = m;
      const stored = rows.get(message.id);
      if (stored) {
        message.seq = stored.seq;
        message.createdAt = stored.createdAt;
        resolve({ outcome: 'created', message, visitorId: stored.owner });
      } else {
        // Not stored: a resend, a closed conversation, or not this visitor's (or none at all).
        missed.push(
          explainMissedAppend(this.db, message, m.visitorId ?? undefined).then(resolve, reject),
        );
      }
    }
    await Promise.all(missed);
  }
}

/**
 * The batch statement, in two fixed texts so that PostgreSQL plans each once per connection
 * (see namedQueryOf). Only the second looks each clientId up before the insert. That lookup
 * is left to the retry on purpose: besides its own cost, its plan is only as good as the
 * statistics at the time the statement was prepared. Planned when every conversation held
 * one message, it walks a conversation's messages through (conversation_id, seq) for every
 * message (seen in the bench: three to four times the database's time per message).
 */
const appendStatement = (lookUpResends: boolean) => `
    with input as (
      select * from json_to_recordset($1::json) as t(
        i int, id uuid, conversation_id uuid, client_id uuid, sender text, sender_id uuid,
        content text, type text, attachments jsonb, email_from text, mentions uuid[],
        visitor_id uuid)
    ),
    locked as (
      -- One primary-key lookup per conversation, in id order. The lock is the one the update
      -- below takes anyway: appends to one conversation wait for each other, while
      -- foreign-key checks of its messages (key share) do not wait.
      select c.* from (select distinct conversation_id from input order by 1) k
      cross join lateral (
        select c.id, c.last_seq, c.visitor_id, c.status, c.first_visitor_message_at,
          c.first_response_at
        from conversations c
        where c.id = k.conversation_id and c.expired_at is null
        for no key update
      ) c
    ),
    accepted as (
      select input.*, locked.last_seq
          + row_number() over (partition by input.conversation_id order by input.i) as seq,
        -- Whether an agent's text here can be the first response: none yet, and the visitor
        -- wrote before this batch or earlier in it.
        locked.first_response_at is null and (locked.first_visitor_message_at is not null
          or input.i > min(input.i) filter (where input.sender = 'visitor')
            over (partition by input.conversation_id)) as answers
      from input join locked on locked.id = input.conversation_id
      where (input.visitor_id is null or input.visitor_id = locked.visitor_id)
        and (input.type = 'note' or locked.status <> 'closed')
        ${
          lookUpResends
            ? `and not exists (
          select 1 from messages m
          where m.conversation_id = input.conversation_id
            and m.sender_id = input.sender_id and m.client_id = input.client_id)`
            : ''
        }
    ),
    bumped as (
      update conversations c set
        last_seq = c.last_seq + a.n,
        last_message_at = now(),
        last_message_minute = date_trunc('minute', now()::timestamptz(3)),
        first_visitor_message_at = case when a.visitor_wrote
          then coalesce(c.first_visitor_message_at, now()) else c.first_visitor_message_at end,
        -- The first agent text after the visitor first wrote, and who wrote it.
        first_response_at = case when a.responder is not null
          then now() else c.first_response_at end,
        first_responder_id = coalesce(a.responder, c.first_responder_id)
      from (
        select conversation_id, count(*)::int as n,
          bool_or(sender = 'visitor') as visitor_wrote,
          (array_agg(sender_id order by i)
            filter (where answers and sender = 'agent' and type = 'text'))[1] as responder
        from accepted group by conversation_id
      ) a
      where c.id = a.conversation_id
    ),
    inserted as (
      insert into messages (id, conversation_id, seq, client_id, sender, sender_id, content,
        type, attachments, email_from, mentions, read_at, created_at)
      select id, conversation_id, seq, client_id, sender, sender_id, content, type, attachments,
        email_from, mentions, null, now()
      from accepted
      returning id, conversation_id, seq, created_at
    ),
    -- The files a message sends belong to it from the same commit: an upload is never both
    -- sent and swept as unsent.
    attached as (
      update attachments f set message_id = a.id, conversation_id = a.conversation_id
      from accepted a cross join lateral jsonb_array_elements(a.attachments) e
      where a.attachments is not null and f.id = (e->>'id')::uuid and f.message_id is null
    )
    -- The rest of each message is what the caller sent. The time comes as milliseconds, a
    -- number to read, not a text to parse.
    select inserted.id, inserted.seq,
      (extract(epoch from inserted.created_at) * 1000)::float8 as created_ms,
      locked.visitor_id as owner
    from inserted join locked on locked.id = inserted.conversation_id
`;
const APPEND_MESSAGES = appendStatement(false);
const APPEND_MESSAGES_LOOKING_UP_RESENDS = appendStatement(true);

/** A stored message as the statement returns it, with its conversation's visitor. */
type InsertedRow = { id: string; seq: number; created_ms: number; owner: string };

/**
 * Stores a batch in one statement. The conversations are locked in id order (concurrent
 * batches, from this instance or another, cannot deadlock) and their rows read after the lock,
 * so each message gets the next seq of its conversation: 1, 2, 3… with no gap and no
 * collision, in the order the batch holds them. A message is left out (and explained by the
 * caller) when its conversation is closed (notes excepted), is not the given visitor's, or
 * does not exist; one whose clientId is already stored is left out too when `lookUpResends`,
 * and otherwise fails the statement (unique violation). The conversation's lastSeq,
 * lastMessageAt, firstVisitorMessageAt and the first response (firstResponseAt and
 * firstResponderId) move with the messages, in the same transaction.
 */
async function insertBatch(
  db: Db,
  batch: Pending[],
  lookUpResends: boolean,
): Promise<Map<string, Stored>> {
  const input = JSON.stringify(
    batch.map(({ row: m, visitorId }, i) => ({
      i,
      id: m.id,
      conversation_id: m.conversationId,
      client_id: m.clientId,
      sender: m.sender,
      sender_id: m.senderId,
      content: m.content,
      type: m.type,
      attachments: m.attachments,
      email_from: m.emailFrom,
      mentions: m.mentions,
      visitor_id: visitorId,
    })),
  );
  const [name, text] = lookUpResends
    ? ['append_messages_looking_up_resends', APPEND_MESSAGES_LOOKING_UP_RESENDS]
    : ['append_messages', APPEND_MESSAGES];
  const rows = await namedQueryOf(db)<InsertedRow>(name, text, [input]);
  return new Map(
    rows.map((r) => [r.id, { seq: r.seq, createdAt: new Date(r.created_ms), owner: r.owner }]),
  );
}

/**
 * Why an append stored nothing: not the visitor's conversation (or none), a resend, or a closed
 * conversation. Who may write comes first: a resend is looked up only in a conversation the
 * sender may write to, so a guessed clientId in someone else's conversation reads nothing.
 */
async function explainMissedAppend(
  db: Tx,
  m: NewMessage,
  visitorId?: string,
): Promise<AppendResult> {
  const [c] = await db
    .select({ status: conversations.status })
    .from(conversations)
    .where(
      and(
        eq(conversations.id, m.conversationId),
        isNull(conversations.expiredAt),
        visitorId ? eq(conversations.visitorId, visitorId) : undefined,
      ),
    );
  if (!c) return { outcome: 'not_found' };
  const stored = await findByClientId(db, m);
  if (stored) return { outcome: 'duplicate', message: stored };
  return c.status === 'closed' ? { outcome: 'closed' } : { outcome: 'not_found' };
}

/** The sender's own message with this clientId: the resend key is who sent it, not their role. */
async function findByClientId(db: Tx, m: NewMessage): Promise<MessageRow | null> {
  if (!m.clientId || !m.senderId) return null;
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, m.conversationId),
        eq(messages.senderId, m.senderId),
        eq(messages.clientId, m.clientId),
      ),
    );
  return row ?? null;
}
