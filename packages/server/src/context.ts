import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { Mail } from './email/mail.js';
import type { FileStorage } from './files/storage.js';
import type { JobQueue } from './queue/queue.js';
import type { Logger } from './logger.js';
import type { Metrics } from './ops/metrics.js';
import type { DomainEvents } from './services/events.js';
import type { Presence } from './services/presence.js';
import type { PushKeys } from './services/push-sender.js';
import type { RateLimiter } from './services/rate-limit.js';
import type { SessionRevocations } from './services/session-revocations.js';
import type { Tokens } from './services/tokens.js';

/**
 * What every service function works with: built once per server, whole, in app.ts (the one
 * composition root), before anything uses it. docs/architecture.md "Layers".
 */
export type Context = {
  db: Db;
  /** The same database for reports and search, behind the chats on PGlite (db/client.ts). */
  backgroundDb: Db;
  config: Config;
  log: Logger;
  events: DomainEvents;
  presence: Presence;
  tokens: Tokens;
  /** Ended sign-ins, checked on every agent request and handshake without a query. */
  revocations: SessionRevocations;
  metrics: Metrics;
  rateLimiter: RateLimiter;
  /** Durable background work: `enqueue(kind, payload)`; the kinds are in queue/kinds.ts. */
  jobs: JobQueue;
  /** Where files' bytes live: local disk, or S3 when S3_BUCKET is set. */
  files: FileStorage;
  /** The VAPID keys pushes are signed with (made on first start, kept in the database). */
  push: PushKeys;
  /** Email's settings and addresses when SMTP_URL and MAIL_FROM are set; undefined when off. */
  email: Mail | undefined;
};
