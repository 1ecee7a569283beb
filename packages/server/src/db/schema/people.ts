import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt } from './columns.js';

// The team and its sign-ins: accounts, sessions, reset links, API tokens, the audit log.

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
     * What pushes to this agent's devices (issue 37), each on until they turn it off: a chat
     * waiting in a queue of theirs, a chat given to them, a visitor's message in their chat
     * while no dashboard of theirs is in view, a mention in a note.
     */
    pushQueued: boolean('push_queued').notNull().default(true),
    pushAssigned: boolean('push_assigned').notNull().default(true),
    pushMessages: boolean('push_messages').notNull().default(true),
    pushMentions: boolean('push_mentions').notNull().default(true),
    /** Emailed when a teammate mentions them in a note (when email is on). */
    mentionEmails: boolean('mention_emails').notNull().default(false),
    /**
     * A person signs in with a password; a bot is a team member an integration drives through
     * an API token (api_tokens.user_id). A bot has no usable password and routing never picks it.
     */
    kind: text('kind', { enum: ['person', 'bot'] })
      .notNull()
      .default('person'),
    /**
     * Two-factor sign-in (TOTP, issue 36): the secret, encrypted under a key derived from the
     * server's secret; set with `totp_enabled_at` once confirmed with a code. A secret being set
     * up and not confirmed yet waits in `totp_pending_secret`.
     */
    totpSecret: text('totp_secret'),
    totpPendingSecret: text('totp_pending_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true, precision: 3 }),
    /** The last 30-second step a code was accepted for: no code counts twice. */
    totpLastStep: integer('totp_last_step'),
    /** One-time recovery codes as their SHA-256; a used one is removed. */
    totpRecoveryHashes: text('totp_recovery_hashes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Single sign-on (OpenID Connect): who this user is at the provider, once linked. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_oidc_key').on(t.oidcIssuer, t.oidcSubject),
  ],
);

/**
 * Invitations (issue 36): adding an agent makes one; the invited person follows its link once,
 * within 7 days, and chooses their password (or signs in with SSO). The token's SHA-256 only.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'agent'] })
      .notNull()
      .default('agent'),
    capacity: integer('capacity').notNull().default(5),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Set when it was used: `user_id` is the account it made. */
    acceptedAt: timestamp('accepted_at', { withTimezone: true, precision: 3 }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    index('invitations_email_idx').on(sql`lower(${t.email})`),
  ],
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
    /** The address this token was issued to (sign-in or refresh): the devices list shows it. */
    ip: text('ip'),
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
    /** When it stops working by itself (issue 36); null: until revoked. */
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    /**
     * Narrower than `scope` (issue 36): `<tag>:read` or `<tag>:write`, the tag being the route
     * catalogue's. Null: every tag, as `scope` says.
     */
    scopes: text('scopes').array(),
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
    /** What else there is to say: a setting's `before` and `after`, a failed sign-in's reason. */
    details: jsonb('details'),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_events_action_target_at_idx').on(t.action, t.targetId, t.at),
    // The log's page: newest first, and one actor's.
    index('audit_events_at_idx').on(t.at, t.id),
    index('audit_events_actor_at_idx').on(t.actorId, t.at),
  ],
);

/**
 * Proofs of work already spent (issue 36, altcha): a solved challenge counts once, until it
 * would have expired anyway.
 */
export const spentChallenges = pgTable(
  'spent_challenges',
  {
    signature: text('signature').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('spent_challenges_expires_at_idx').on(t.expiresAt)],
);

/** Workspace settings as JSON documents by key (widget look, pre-chat form, origins, secrets). */

/**
 * Tombstones of erased contacts (issue 35): when and by whom a visitor's data was erased, and
 * how much went. Nothing of the person stays but their id, a random one: it answers "was this
 * visitor erased?" (a webhook receiver's question) without saying who they were.
 */
export const erasures = pgTable(
  'erasures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    visitorId: uuid('visitor_id').notNull(),
    siteId: uuid('site_id').notNull(),
    erasedAt: timestamp('erased_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    erasedById: uuid('erased_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** The name of who erased it then, as the audit log keeps it. */
    erasedByName: text('erased_by_name').notNull(),
    tokenId: uuid('token_id'),
    /** What went, as counts: `{ conversations, messages, files, ... }`. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
  },
  (t) => [
    index('erasures_visitor_id_idx').on(t.visitorId),
    index('erasures_erased_by_id_idx').on(t.erasedById),
  ],
);
