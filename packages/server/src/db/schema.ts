import { sql, type SQLWrapper } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** PostgreSQL's text-search document, which drizzle has no column type for. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The search document of a visitor: their name, email, the site's id for them (verified) and
 * the values of their attributes (the site's `setCustomAttributes`, pre-chat answers), through
 * `parley_visitor_document` (migration 0012), which lowercases, strips accents and splits at
 * punctuation, so `dora@example.com` is words in a row. The index and the queries
 * (db/search.ts) must spell it identically for the index to serve.
 */
export const visitorSearchDocument = (v: {
  name: SQLWrapper;
  email: SQLWrapper;
  externalId: SQLWrapper;
  attributes: SQLWrapper;
}) => sql`parley_visitor_document(${v.name}, ${v.email}, ${v.externalId}, ${v.attributes})`;

/** The search document of a conversation's tags (migration 0005), spelled as its index is. */
export const tagsSearchDocument = (tags: SQLWrapper) => sql`parley_tags_document(${tags})`;

const createdAt = () =>
  timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'agent'] })
      .notNull()
      .default('agent'),
    status: text('status', { enum: ['online', 'away', 'offline'] })
      .notNull()
      .default('offline'),
    /** Open chats routing may give this agent at once. */
    capacity: integer('capacity').notNull().default(5),
    active: boolean('active').notNull().default(true),
    /** Emailed about conversations that wait with nobody to answer them. */
    emailAlerts: boolean('email_alerts').notNull().default(false),
    /**
     * A person signs in with a password; a bot is a team member an integration drives through
     * an API token (api_tokens.user_id). A bot has no usable password and routing never picks it.
     */
    kind: text('kind', { enum: ['person', 'bot'] })
      .notNull()
      .default('person'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

/** "Forgot password" links: the token's SHA-256 only, usable once, until it expires. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('password_resets_token_key').on(t.tokenHash)],
);

/**
 * A code emailed to an address a visitor typed, to show it is theirs (services/email-ownership.ts):
 * one pending per visitor, kept as an HMAC, tried a few times at most, short-lived.
 */
export const emailConfirmations = pgTable('email_confirmations', {
  visitorId: uuid('visitor_id')
    .primaryKey()
    .references(() => visitors.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
});

/** Refresh tokens, stored as SHA-256 hashes: a database leak yields no usable token. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /**
     * The sign-in this refresh token descends from: rotation keeps it, so it names one browser's
     * session for its whole life. Access tokens carry it, and ending it ends them too.
     */
    familyId: uuid('family_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Set when this token is rotated or its session ends. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    /** Set when the session ends (logout, password change, replay): its access tokens die. */
    endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_key').on(t.tokenHash),
    index('sessions_user_id_idx').on(t.userId),
    index('sessions_family_id_idx').on(t.familyId),
    // What a starting instance reads into its revocation cache.
    index('sessions_ended_at_idx').on(t.endedAt),
  ],
);

export const visitors = pgTable(
  'visitors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name'),
    email: text('email'),
    browser: text('browser'),
    os: text('os'),
    ip: text('ip'),
    currentUrl: text('current_url'),
    currentTitle: text('current_title'),
    online: boolean('online').notNull().default(false),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    /** When this visit began: the visitor came back after more than 30 minutes away. */
    visitStartedAt: timestamp('visit_started_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    /** What the site or the pre-chat form tells about the visitor: a flat map of short texts. */
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    /**
     * The site's own id for this person, set only from a `setUser` call whose hash verified:
     * every device of one verified user is this one visitor, with one history.
     */
    externalId: text('external_id'),
    /**
     * The address this visitor has shown they own (issue 32): they gave back the code Parley
     * emailed to it, or replied by email from it. A transcript they ask for goes only here,
     * and only while it is still their `email`.
     */
    confirmedEmail: text('confirmed_email'),
  },
  (t) => [
    uniqueIndex('visitors_external_id_key')
      .on(t.externalId)
      .where(sql`${t.externalId} is not null`),
    index('visitors_online_last_seen_idx').on(t.online, t.lastSeenAt),
    index('visitors_last_seen_idx').on(t.lastSeenAt),
    // Search by name or email (db/search.ts): the same expression as its queries.
    index('visitors_search_idx').using('gin', visitorSearchDocument(t)),
  ],
);

export const pageViews = pgTable(
  'page_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    title: text('title').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('page_views_visitor_created_idx').on(t.visitorId, t.createdAt)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['open', 'pending', 'closed'] })
      .notNull()
      .default('pending'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    notes: text('notes').notNull().default(''),
    rating: text('rating', { enum: ['up', 'down'] }),
    ratingComment: text('rating_comment'),
    /** The seq of the newest message; the next message takes last_seq + 1 under this row's lock. */
    lastSeq: integer('last_seq').notNull().default(0),
    /** When the visitor first wrote: what the first response answers (an agent may open). */
    firstVisitorMessageAt: timestamp('first_visitor_message_at', {
      withTimezone: true,
      precision: 3,
    }),
    /** The first agent's text after the visitor first wrote (not a note, not a system line). */
    firstResponseAt: timestamp('first_response_at', { withTimezone: true, precision: 3 }),
    /** Who wrote that first response: the reports credit it to them. */
    firstResponderId: uuid('first_responder_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    ratedAt: timestamp('rated_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    /** The visitor was emailed the agents' messages up to this seq (they had not seen them). */
    emailedSeq: integer('emailed_seq').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    /**
     * last_message_at to the minute: what the lists' indexes hold instead of last_message_at.
     * A message in the same minute as the one before changes no indexed column, so PostgreSQL
     * updates the row in place (a HOT update) instead of adding an entry to every index. The
     * lists sort by this, then by last_message_at within the minute.
     */
    lastMessageMinute: timestamp('last_message_minute', { withTimezone: true, precision: 0 })
      .notNull()
      .default(sql`date_trunc('minute', now()::timestamptz(3))`),
    createdAt: createdAt(),
  },
  (t) => [
    index('conversations_visitor_id_idx').on(t.visitorId),
    index('conversations_assignee_status_idx').on(t.assigneeId, t.status),
    index('conversations_status_last_message_minute_idx').on(t.status, t.lastMessageMinute),
    index('conversations_last_message_minute_idx').on(t.lastMessageMinute),
    index('conversations_created_at_idx').on(t.createdAt),
    // The reports' medians walk these in order to the middle instead of sorting a year of
    // conversations (db/analytics.ts). The expression's own columns are in them too, for
    // PostgreSQL reads an index alone only when it holds every column the query names.
    index('conversations_response_time_idx')
      .on(
        sql`(${t.firstResponseAt} - ${t.firstVisitorMessageAt})`,
        t.createdAt,
        t.firstResponseAt,
        t.firstVisitorMessageAt,
      )
      .where(sql`${t.firstResponseAt} is not null`),
    index('conversations_responder_response_time_idx')
      .on(
        t.firstResponderId,
        sql`(${t.firstResponseAt} - ${t.firstVisitorMessageAt})`,
        t.createdAt,
        t.firstResponseAt,
        t.firstVisitorMessageAt,
      )
      .where(sql`${t.firstResponseAt} is not null`),
    index('conversations_resolution_time_idx')
      .on(sql`(${t.closedAt} - ${t.createdAt})`, t.createdAt, t.closedAt)
      .where(sql`${t.closedAt} is not null`),
    // Recent ratings, newest first (Analytics).
    index('conversations_rated_at_idx')
      .on(t.ratedAt)
      .where(sql`${t.rating} is not null`),
    // The list's tag filter, and search by tag.
    index('conversations_tags_idx').using('gin', t.tags),
    index('conversations_tags_search_idx').using('gin', tagsSearchDocument(t.tags)),
    // One conversation at a time per visitor: two tabs or two instances can't open a second.
    uniqueIndex('conversations_one_active_per_visitor')
      .on(t.visitorId)
      .where(sql`status <> 'closed'`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    clientId: uuid('client_id'),
    sender: text('sender', { enum: ['visitor', 'agent', 'system'] }).notNull(),
    senderId: uuid('sender_id'),
    content: text('content').notNull(),
    type: text('type', { enum: ['text', 'note', 'system'] })
      .notNull()
      .default('text'),
    readAt: timestamp('read_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
    /** The files sent with it, as the message shows them (the `attachments` rows hold the rest). */
    attachments: jsonb('attachments').$type<MessageAttachment[]>(),
    /** A visitor's reply by email: the address it came from (its From), shown to agents. */
    emailFrom: text('email_from'),
    /**
     * The text's search document (db/search.ts), kept by PostgreSQL. Stored rather than only
     * indexed: newest-first search reads recent messages in time order and tests each, and a
     * stored vector tests in a fraction of a microsecond where parsing the text again takes
     * ten. The insert computes it once either way. Never read it back: `messageColumns` in
     * db/messages.ts is a message without it.
     */
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`parley_search_document(content)`),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq),
    // A resend is recognised by who sent it, not by their role: two agents may pick the same
    // clientId in one conversation, and a visitor's never matches anyone else's.
    uniqueIndex('messages_conversation_sender_id_client_key').on(
      t.conversationId,
      t.senderId,
      t.clientId,
    ),
    index('messages_sender_id_idx').on(t.senderId),
    index('messages_created_at_idx').on(t.createdAt),
    // System lines are never searched, so they are not indexed.
    index('messages_search_idx')
      .using('gin', t.searchVector)
      .where(sql`${t.type} <> 'system'`),
  ],
);

/** A file as a message carries it: enough to show it without another query. */
export type MessageAttachment = {
  id: string;
  name: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
};

/**
 * Files sent in conversations. Uploaded first (unattached, `messageId` null), then attached by
 * the message that sends them; an upload never attached is removed by a job. The bytes are in
 * the storage driver (local disk or S3) under `storageKey`.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey(),
    /** Who uploaded it: a visitor may read their own uploads and their conversations' files. */
    uploaderKind: text('uploader_kind', { enum: ['visitor', 'agent'] }).notNull(),
    uploaderId: uuid('uploader_id').notNull(),
    conversationId: uuid('conversation_id').references(() => conversations.id, {
      onDelete: 'cascade',
    }),
    messageId: uuid('message_id'),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    storageKey: text('storage_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('attachments_conversation_idx').on(t.conversationId),
    index('attachments_unattached_idx')
      .on(t.createdAt)
      .where(sql`${t.messageId} is null`),
  ],
);

/**
 * Daily roll-ups of messages for the reports (db/analytics.ts): one row per UTC day that has
 * been rolled up, zero included, so a day is counted from `messages` once. Only days over for
 * some minutes are rolled up; a message's time is its insert's, so such a day no longer changes.
 */
export const messageDays = pgTable('message_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  /** Messages of the day but system lines ("Chat closed by …"); notes count. */
  messages: integer('messages').notNull(),
});

/** Each agent's replies (text, not notes) per rolled-up UTC day; days without any have no row. */
export const agentReplyDays = pgTable(
  'agent_reply_days',
  {
    day: date('day', { mode: 'string' })
      .notNull()
      .references(() => messageDays.day, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').notNull(),
    replies: integer('replies').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.agentId] })],
);

export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    shortcut: text('shortcut').notNull(),
    category: text('category'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('canned_responses_shortcut_key').on(t.shortcut),
    index('canned_responses_created_by_idx').on(t.createdBy),
  ],
);

/**
 * Durable background work (jobs/): what must happen later or be retried, such as sending an
 * email. Claimed with FOR UPDATE SKIP LOCKED, so one instance runs each job; a job whose lease
 * lapses (its instance died) is claimed again.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    /**
     * Set: at most one queued job of this kind has this key; enqueuing another moves that
     * one's time instead (a digest that waits for the last of a burst of messages).
     */
    key: text('key'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    /** Queued: when it may run. Running: when its lease lapses. */
    runAt: timestamp('run_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('jobs_due_idx')
      .on(t.runAt)
      .where(sql`${t.status} in ('queued', 'running')`),
    index('jobs_status_created_idx').on(t.status, t.createdAt),
    uniqueIndex('jobs_queued_key')
      .on(t.kind, t.key)
      .where(sql`${t.status} = 'queued' and ${t.key} is not null`),
  ],
);

/**
 * Tokens for integrations: the SHA-256 of the secret only (shown once, at creation). A token
 * acts as its user (a bot, or the admin who made it) within its scope: `read` may only read.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The secret's first characters, so an admin can tell tokens apart. */
    prefix: text('prefix').notNull(),
    scope: text('scope', { enum: ['read', 'full'] }).notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash),
    index('api_tokens_user_id_idx').on(t.userId),
    // What a starting instance reads into its revocation cache.
    index('api_tokens_revoked_at_idx').on(t.revokedAt),
  ],
);

/** Where webhooks go, and which events each endpoint wants. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  events: text('events').array().notNull(),
  /** Signs each delivery (HMAC-SHA256); shown to the admin, who gives it to the receiver. */
  secret: text('secret').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Why it was turned off by Parley (failing for a day), for the admin to read. */
  disabledReason: text('disabled_reason'),
  /** When deliveries began failing without a success since; null while it works. */
  failingSince: timestamp('failing_since', { withTimezone: true, precision: 3 }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

/**
 * One event for one endpoint: the delivery log. Each is sent by a job until the receiver answers
 * 2xx; those of one conversation go out in the order they were created.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event's id, the same for every endpoint: what receivers de-duplicate by. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    conversationId: uuid('conversation_id'),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    /** Attempts made, in all: an admin's "Retry now" goes on counting. */
    attempts: integer('attempts').notNull().default(0),
    /**
     * The attempts made before an admin's last "Retry now": the retry policy counts a new round
     * of attempts from here.
     */
    attemptsBeforeRetry: integer('attempts_before_retry').notNull().default(0),
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms'),
    error: text('error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, precision: 3 }),
    /** When the event happened (its body's `createdAt`); a resend's row is made later. */
    eventCreatedAt: timestamp('event_created_at', { withTimezone: true, precision: 3 }).notNull(),
    /** An admin's resend: the delivery of the same event it sends again (same endpoint). */
    resendOf: uuid('resend_of'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_endpoint_created_idx').on(t.endpointId, t.createdAt),
    index('webhook_deliveries_pending_idx')
      .on(t.endpointId, t.conversationId, t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    // One event is pending at most once per endpoint: a resend asked for twice is one delivery.
    uniqueIndex('webhook_deliveries_pending_event_key')
      .on(t.endpointId, t.eventId)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** Each attempt at a delivery, as the log shows it (issue 32). */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… within the delivery, on across an admin's "Retry now". */
    n: integer('n').notNull(),
    /** Null for a delivery's last attempt from before attempts were kept: its time was not. */
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    /** The start of the receiver's answer: at most 300 characters (webhooks/deliver.ts). */
    answer: text('answer'),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.n] })],
);

/**
 * What was done with a secret or a sign-in, by whom, from where and through which token: one row
 * each, appended and never changed through the product. Revealing a secret is recorded here
 * (issue 32); the audit log of issue 36 grows from this table.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What happened, as `<thing>.<verb>`: `identity_secret.revealed`, `webhook_secret.rotated`. */
    action: text('action').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The actor's name then: the record still reads right after the user is renamed. */
    actorName: text('actor_name').notNull(),
    /** The API token the actor used, when it was one. */
    tokenId: uuid('token_id'),
    /** The client's address as the server saw it (TRUST_PROXY decides). */
    ip: text('ip'),
    targetId: text('target_id'),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('audit_events_action_target_at_idx').on(t.action, t.targetId, t.at)],
);

/** Workspace settings as JSON documents by key (widget look, pre-chat form, origins, secrets). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
