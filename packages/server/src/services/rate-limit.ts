import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppError } from '../errors.js';

/** How many hits a key may take per window. Windows are whole seconds (the stores' unit). */
export type Limit = { limit: number; windowMs: number };

/** The limits of the product, by what they protect. */
export const limits = {
  loginPerIp: { limit: 20, windowMs: 60_000 },
  loginPerEmail: { limit: 10, windowMs: 15 * 60_000 },
  registerPerIp: { limit: 5, windowMs: 60 * 60_000 },
  // Generous per IP: many visitors of one office or mobile carrier share an address.
  visitorSessionPerIp: { limit: 120, windowMs: 60_000 },
  // New sockets per address; how many may be open at once is MAX_SOCKETS_PER_IP.
  socketsPerIp: { limit: 300, windowMs: 60_000 },
  // Resends after a reconnect count too, so there is headroom above any human pace.
  messagesPerVisitor: { limit: 40, windowMs: 10_000 },
  messagesPerAgent: { limit: 100, windowMs: 10_000 },
  typingPerSocket: { limit: 10, windowMs: 1_000 },
  // Each page view is a row and a visitor.updated to every agent: a person browsing clicks
  // far slower than this, a script replaying page views does not.
  pageViewsPerVisitor: { limit: 30, windowMs: 60_000 },
  // A visitor may change their stars or comment a few times, not rewrite them in a loop.
  ratingsPerVisitor: { limit: 10, windowMs: 60_000 },
  // The pre-chat form (name, email): each change reaches every agent.
  profileUpdatesPerVisitor: { limit: 10, windowMs: 60_000 },
  // setUser: a site calls it once a page; a loop of guessed hashes is refused long before it
  // could matter (HMAC-SHA256 is not guessed), and each claim is a transaction.
  identityClaimsPerVisitor: { limit: 30, windowMs: 60_000 },
  // setCustomAttributes: a few per page at most; each change reaches every agent.
  attributeUpdatesPerVisitor: { limit: 30, windowMs: 60_000 },
  // A sync per (re)connect and per gap noticed, from every tab: generous, but a loop of syncs
  // is a loop of database reads.
  syncsPerVisitor: { limit: 60, windowMs: 10_000 },
  // The widget marks read as agents' messages arrive, at most as fast as agents send them.
  readsPerVisitor: { limit: 120, windowMs: 60_000 },
  // Each is an email to a visitor: a few per conversation, not a way to flood their inbox.
  transcriptsPerConversation: { limit: 3, windowMs: 60 * 60_000 },
  // Transcripts also per address (one inbox, however many chats), per visitor who asks, and in
  // all (the team's sending reputation); the same one asked again soon is not sent twice.
  transcriptsPerAddress: { limit: 10, windowMs: 24 * 60 * 60_000 },
  transcriptsPerVisitor: { limit: 5, windowMs: 60 * 60_000 },
  transcriptsOverall: { limit: 500, windowMs: 60 * 60_000 },
  // The offline form (a chat started while the site is away), past its proof of work: per
  // address (an office or a mobile carrier shares one) and in all, so a farm of solvers cannot
  // fill the queue or the team's inboxes.
  offlineFormPerIp: { limit: 60, windowMs: 60 * 60_000 },
  offlineFormOverall: { limit: 1000, windowMs: 60 * 60_000 },
  sameTranscript: { limit: 1, windowMs: 10 * 60_000 },
  // The code that shows a visitor owns an address they typed (services/email-ownership.ts): a
  // fixed text, yet mail to whatever address anyone types. Few per address a day (many
  // visitors may name one victim), per visitor, per IP (a script making visitors), and in all.
  emailCodesPerAddress: { limit: 3, windowMs: 24 * 60 * 60_000 },
  emailCodesPerVisitor: { limit: 3, windowMs: 60 * 60_000 },
  emailCodesPerIp: { limit: 10, windowMs: 60 * 60_000 },
  emailCodesOverall: { limit: 200, windowMs: 60 * 60_000 },
  // Agents' replies emailed to a visitor, to one address (however many visitors name it), and
  // in all (the team's sending reputation): a burst is one email, so these are many bursts.
  // Past one, the email waits (the replies stay unseen and go in the next one); none is lost.
  unseenRepliesPerVisitor: { limit: 10, windowMs: 60 * 60_000 },
  unseenRepliesPerAddress: { limit: 10, windowMs: 60 * 60_000 },
  unseenRepliesOverall: { limit: 1000, windowMs: 60 * 60_000 },
  // Team alerts about chats that wait (the offline form): past this, the queue shows the rest.
  waitingAlerts: { limit: 30, windowMs: 60 * 60_000 },
  // Replies by email, as the widget's messages per visitor: per conversation and per sender.
  // Past them the mail server is told to try later (451), which real ones do.
  inboundEmailsPerConversation: { limit: 40, windowMs: 10_000 },
  inboundEmailsPerSender: { limit: 40, windowMs: 10_000 },
  // "Forgot password" emails: per address against flooding one inbox, per IP against a sweep.
  passwordResetsPerEmail: { limit: 3, windowMs: 60 * 60_000 },
  passwordResetsPerIp: { limit: 10, windowMs: 60 * 60_000 },
  // Invitations: an admin's (each may be an email to a stranger's address), and the invited
  // person's page per IP, whose checks and acceptances are each a guess at a token.
  invitationsPerAdmin: { limit: 30, windowMs: 60 * 60_000 },
  invitationLinksPerIp: { limit: 20, windowMs: 60 * 60_000 },
  // Two-factor codes: a sign-in's challenge takes a few tries (a mistyped code, a slow clock),
  // then its password must be typed again; an account takes a few challenges' worth, whatever
  // the route (sign-in, turning it off, new recovery codes). A million codes stay unguessed.
  twoFactorPerChallenge: { limit: 5, windowMs: 5 * 60_000 },
  twoFactorPerUser: { limit: 10, windowMs: 15 * 60_000 },
  // Every admin-only change or reveal, per admin (their sign-ins and tokens together): a person
  // setting Parley up clicks far slower; a script with a stolen admin session does not.
  adminChangesPerActor: { limit: 60, windowMs: 60_000 },
  // The heavy or far-reaching ones, each on its own: a person's data as a zip, a test delivery
  // to a webhook's address, a secret shown.
  exportsPerAdmin: { limit: 30, windowMs: 60 * 60_000 },
  webhookTestsPerAdmin: { limit: 30, windowMs: 60 * 60_000 },
  secretRevealsPerAdmin: { limit: 20, windowMs: 60 * 60_000 },
  // Push notifications (issue 37). New chats waiting, pushed to each agent of the queue: anyone
  // can start a chat, so past this a phone stops buzzing for them (the queue shows the rest).
  // A test notification is a person's click. Mentions: a teammate's, per mentioned agent.
  queuedPushesPerAgent: { limit: 30, windowMs: 60 * 60_000 },
  testPushesPerAgent: { limit: 10, windowMs: 60 * 60_000 },
  mentionEmailsPerAgent: { limit: 30, windowMs: 60 * 60_000 },
  // Each upload is up to the file limit in memory and storage: a person sends a few a minute.
  uploadsPerActor: { limit: 30, windowMs: 60_000 },
} satisfies Record<string, Limit>;

export interface RateLimiter {
  /** Counts a hit on the key: 0 when allowed, else the milliseconds until it would be. */
  hit(key: string, limit: Limit): Promise<number>;
}

/**
 * One rate-limiter-flexible limiter per limit (its points and duration are the limiter's own),
 * made when the limit is first used. A key's window starts at its first hit, not on the clock.
 */
abstract class FlexibleRateLimiter implements RateLimiter {
  private readonly limiters = new Map<Limit, RateLimiterAbstract>();

  protected abstract create(points: number, duration: number): RateLimiterAbstract;

  async hit(key: string, limit: Limit): Promise<number> {
    let limiter = this.limiters.get(limit);
    if (!limiter) {
      limiter = this.create(limit.limit, Math.max(1, Math.ceil(limit.windowMs / 1000)));
      this.limiters.set(limit, limiter);
    }
    try {
      await limiter.consume(key);
      return 0;
    } catch (refused) {
      if (refused instanceof RateLimiterRes) return Math.max(1, Math.ceil(refused.msBeforeNext));
      throw refused;
    }
  }
}

/** In this process's memory, for one instance; each key is dropped when its window ends. */
export class LocalRateLimiter extends FlexibleRateLimiter {
  protected create(points: number, duration: number) {
    return new RateLimiterMemory({ points, duration });
  }
}

/**
 * In Redis: every instance counts against the same limit. While Redis is unreachable each
 * instance counts in its own memory instead, so a Redis restart refuses nothing it should not.
 */
export class RedisRateLimiter extends FlexibleRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  protected create(points: number, duration: number) {
    return new RateLimiterRedis({
      storeClient: this.redis,
      // The limit is part of the prefix: two limits never share a counter.
      keyPrefix: `${this.prefix}:rate:${points}/${duration}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  }
}

/** For load tests only (RATE_LIMITS=off): every hit is allowed. */
export class NoRateLimiter implements RateLimiter {
  async hit(): Promise<number> {
    return 0;
  }
}

/**
 * `rate_limited` (429); the wait is sent as `Retry-After`, in the error's details, and in its
 * message, which a person reads (the dashboard shows it as it is).
 */
export const tooManyRequests = (retryAfterMs?: number) =>
  retryAfterMs === undefined
    ? new AppError('rate_limited', 'Too many requests, slow down')
    : new AppError(
        'rate_limited',
        `Too many requests: try again ${inAbout(retryAfterMs)}`,
        { retryAfterMs },
        retryAfterMs,
      );

/** A wait as a person says it, rounded up: "in 40 seconds", "in 3 minutes", "in 2 hours". */
export function inAbout(ms: number): string {
  const unit = (n: number, one: string) => `in ${n} ${one}${n === 1 ? '' : 's'}`;
  if (ms <= 1_000) return 'in a second';
  if (ms < 60_000) return unit(Math.ceil(ms / 1_000), 'second');
  if (ms < 3_600_000) return unit(Math.ceil(ms / 60_000), 'minute');
  return unit(Math.ceil(ms / 3_600_000), 'hour');
}

/** Throws `rate_limited` (429) when any of the keys is over its limit. */
export async function enforce(limiter: RateLimiter, hits: Array<[string, Limit]>): Promise<void> {
  const waits = await Promise.all(hits.map(([key, limit]) => limiter.hit(key, limit)));
  const retryAfterMs = Math.max(0, ...waits);
  if (retryAfterMs > 0) throw tooManyRequests(retryAfterMs);
}
