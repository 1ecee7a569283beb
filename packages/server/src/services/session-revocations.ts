import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import { listEndedFamilies } from '../db/sessions.js';
import type { Logger } from '../logger.js';
import { ACCESS_TOKEN_TTL_SECONDS } from './tokens.js';

// A sign-in ended longer ago than an access token lives (plus clock skew between instances)
// has no live access token left: it need not be remembered.
const REMEMBER_MS = (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
// With several instances, each reads the ended sign-ins from the database this often too, in
// case a published revocation was lost (Redis restarting). Redis is the fast path.
const RELOAD_MS = 10_000;

/**
 * The sign-ins that have ended (logout, password change, disabled account, refresh replay),
 * kept in memory so that every request and handshake checks its access token's session
 * without a query. One instance learns of another's revocations through Redis within
 * milliseconds, and from the database at start and every few seconds.
 */
export class SessionRevocations {
  private readonly ended = new Map<string, number>();
  private subscriber: Redis | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly redis: { client: Redis; channel: string } | undefined,
  ) {}

  static async start(
    db: Db,
    log: Logger,
    redis?: { client: Redis; prefix: string },
  ): Promise<SessionRevocations> {
    const shared = redis && { client: redis.client, channel: `${redis.prefix}:sessions:ended` };
    const revocations = new SessionRevocations(db, log, shared);
    await revocations.reload();
    if (shared) {
      revocations.subscriber = shared.client.duplicate();
      revocations.subscriber.on('error', () => {}); // reconnects by itself
      revocations.subscriber.on('message', (_channel: string, payload: string) => {
        revocations.remember(payload.split(','), Date.now());
      });
      await revocations.subscriber.subscribe(shared.channel);
      revocations.reloadTimer = setInterval(() => {
        revocations
          .reload()
          .catch((err: unknown) => log.warn({ err }, 'revocations reload failed'));
      }, RELOAD_MS);
      revocations.reloadTimer.unref();
    }
    return revocations;
  }

  /** True when the sign-in `familyId` has ended: its access tokens are refused. */
  isEnded(familyId: string): boolean {
    return this.ended.has(familyId);
  }

  /** Records ended sign-ins here at once, and tells the other instances. */
  async end(familyIds: string[]): Promise<void> {
    if (familyIds.length === 0) return;
    this.remember(familyIds, Date.now());
    if (!this.redis) return;
    // The sessions are ended in the database already: a lost publish is caught by the reload.
    await this.redis.client
      .publish(this.redis.channel, familyIds.join(','))
      .catch((err: unknown) => this.log.warn({ err }, 'revocation publish failed'));
  }

  async stop(): Promise<void> {
    clearInterval(this.reloadTimer);
    this.subscriber?.disconnect();
  }

  private remember(familyIds: string[], at: number): void {
    for (const id of familyIds) this.ended.set(id, at);
    this.forgetOld();
  }

  private forgetOld(): void {
    // Small: the sign-ins ended in the last quarter of an hour.
    const cutoff = Date.now() - REMEMBER_MS;
    for (const [id, at] of this.ended) if (at < cutoff) this.ended.delete(id);
  }

  private async reload(): Promise<void> {
    const rows = await listEndedFamilies(this.db, new Date(Date.now() - REMEMBER_MS));
    for (const r of rows) {
      if (!this.ended.has(r.familyId)) this.ended.set(r.familyId, r.endedAt.getTime());
    }
    this.forgetOld();
  }
}
