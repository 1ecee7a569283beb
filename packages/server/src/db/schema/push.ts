import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { conversations } from './chats.js';
import { users } from './people.js';

// Push notifications to agents' devices (issue 37, docs/push.md): where each device is reached,
// and what each agent has still to be told about each conversation.

/**
 * A browser's push subscription (the Push API's endpoint and keys), turned on by an agent on
 * one signed-in device: it belongs to that sign-in (`sessions.family_id`) and goes with it.
 * The endpoint is the browser's: the same browser subscribing again, for whoever is signed in
 * on it, replaces the row.
 */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The sign-in (sessions.family_id) that turned it on; ending that sign-in removes it. */
    sessionId: uuid('session_id').notNull(),
    endpoint: text('endpoint').notNull(),
    /** The browser's P-256 public key and auth secret (base64url), which encrypt each push. */
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    /** The browser it was turned on in, as the devices list says it. */
    userAgent: text('user_agent'),
    lastPushedAt: timestamp('last_pushed_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('push_subscriptions_endpoint_key').on(t.endpoint),
    index('push_subscriptions_user_id_idx').on(t.userId),
    index('push_subscriptions_session_id_idx').on(t.sessionId),
  ],
);

/**
 * What an agent is to be told about a conversation by push: one row per agent and conversation,
 * so that a burst is one notification. Each fact updates the row (the latest reason and the
 * message to quote, one more to count) and queues the `send-push` job for the agent and
 * conversation, which sends at most one push every few seconds (`sent_at`). Only ids: the
 * words are read when the push is sent, so an erased message is never pushed.
 */
export const pushNotices = pgTable(
  'push_notices',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: ['queued', 'assigned', 'message', 'mention'] }).notNull(),
    /** The message the push quotes: the visitor's latest, or the note that mentions them. */
    messageId: uuid('message_id'),
    /** Facts since the last push: "3 new messages". */
    pending: integer('pending').notNull().default(0),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.conversationId] }),
    index('push_notices_conversation_id_idx').on(t.conversationId),
  ],
);
