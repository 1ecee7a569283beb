import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { createdAt } from './columns.js';
import { users } from './people.js';

// What the team sets up and what runs for it: canned responses, settings, jobs, webhooks.

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
    // The delivery log's retention: the oldest first (issue 35).
    index('webhook_deliveries_created_idx').on(t.createdAt),
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

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
