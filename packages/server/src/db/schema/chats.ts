import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  doublePrecision,
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
import { createdAt, tagsSearchDocument, tsvector, visitorSearchDocument } from './columns.js';
import { users } from './people.js';
import { defaultSiteId, sites } from './sites.js';
import { teams } from './teams.js';

// Visitors, their conversations and messages, files, and the daily counts reports read.

export const visitors = pgTable(
  'visitors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The website they visit: a person on two of the company's sites is two visitors. */
    siteId: uuid('site_id')
      .notNull()
      .default(defaultSiteId)
      .references(() => sites.id, { onDelete: 'restrict' }),
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
    /**
     * When retention emptied this record of its details (name, addresses, attributes, pages):
     * the visitor was idle and every conversation of theirs had expired (issue 35).
     */
    expiredAt: timestamp('expired_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex('visitors_site_external_id_key')
      .on(t.siteId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index('visitors_site_id_idx').on(t.siteId),
    index('visitors_online_last_seen_idx').on(t.online, t.lastSeenAt),
    index('visitors_last_seen_idx').on(t.lastSeenAt),
    // A person by their address, without case: erasure and export by email, a contact's other
    // records (db/contacts.ts).
    index('visitors_email_idx').on(sql`lower(${t.email})`),
    index('visitors_confirmed_email_idx').on(sql`lower(${t.confirmedEmail})`),
    // Retention's idle visitors, longest unseen first; the emptied ones are not in it.
    index('visitors_idle_idx')
      .on(t.lastSeenAt)
      .where(sql`${t.expiredAt} is null`),
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
    /** The visitor's website, kept here too so lists and reports filter without a join. */
    siteId: uuid('site_id')
      .notNull()
      .default(defaultSiteId)
      .references(() => sites.id, { onDelete: 'restrict' }),
    /** The team whose queue it is in (or was answered from); null: anyone's. */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
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
    /**
     * The first response counted within business hours (the team's, else the site's; the clock
     * stops outside them), in seconds; as first_response_at - first_visitor_message_at where no
     * hours apply. Filled in by the reports (services/analytics.ts) for the ones not counted yet.
     */
    firstResponseBusinessSeconds: doublePrecision('first_response_business_seconds'),
    ratedAt: timestamp('rated_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    /**
     * When retention deleted its content (messages, files, tags, notes, the rating's comment):
     * what stays are the figures the reports count. Such a conversation is in no list, search
     * or view (issue 35).
     */
    expiredAt: timestamp('expired_at', { withTimezone: true, precision: 3 }),
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
    // Retention's next batch: the closed conversations in the order they closed.
    index('conversations_retention_idx')
      .on(t.closedAt)
      .where(sql`${t.closedAt} is not null and ${t.expiredAt} is null`),
    index('conversations_site_id_idx').on(t.siteId, t.createdAt),
    index('conversations_team_id_idx').on(t.teamId, t.createdAt),
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
    // The median within business hours, walked like the others; and the ones to count yet.
    index('conversations_business_response_idx')
      .on(t.firstResponseBusinessSeconds, t.createdAt)
      .where(sql`${t.firstResponseBusinessSeconds} is not null`),
    index('conversations_business_response_due_idx')
      .on(t.createdAt)
      .where(sql`${t.firstResponseAt} is not null and ${t.firstResponseBusinessSeconds} is null`),
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
    /** A note's @mentions (issue 37): the teammates it names, who are told. */
    mentions: uuid('mentions').array(),
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
  /**
   * Rolled up with its places (message_place_days). A day rolled up before them, or by an
   * instance of an older version during a rolling upgrade, is rolled up again.
   */
  byPlace: boolean('by_place').notNull().default(false),
});

/**
 * A rolled-up day's messages by the site and team of their conversation (as they were when the
 * day was rolled up), and by agent for agents' replies (text, not notes): what the reports
 * filtered by site or team read. Rows with no messages are not kept.
 */
export const messagePlaceDays = pgTable(
  'message_place_days',
  {
    day: date('day', { mode: 'string' })
      .notNull()
      .references(() => messageDays.day, { onDelete: 'cascade' }),
    siteId: uuid('site_id').notNull(),
    teamId: uuid('team_id'),
    /** The agent whose replies these are; null: every other message counted. */
    agentId: uuid('agent_id'),
    messages: integer('messages').notNull(),
  },
  (t) => [index('message_place_days_day_site_idx').on(t.day, t.siteId)],
);

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
