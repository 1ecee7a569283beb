import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import {
  countEmailCodeAttempt,
  deleteEmailCode,
  lockEmailCode,
  markEmailOwned,
  storeEmailCode,
} from '../db/email-confirmations.js';
import type { VisitorRow } from '../db/visitors.js';
import { ownershipCodeEmail } from '../email/compose.js';
import type { Mail } from '../email/mail.js';
import { badRequest } from '../errors.js';
import type { VisitorActor } from './actor.js';
import { siteById, siteSender } from './sites.js';
import type { Context } from '../context.js';
import { enforce, limits, type Limit } from './rate-limit.js';

// Which addresses a visitor owns (issue 32). An address a visitor types is only what they say:
// Parley emails their own words (a transcript) only to one they have shown is theirs, by giving
// back a code emailed to it, or by replying by email from it (the reply address travels only in
// Parley's emails to that address, and the From must be it: email/inbound.ts). The email with
// the code is a fixed text with nothing the visitor wrote, and is capped per address, visitor,
// IP and in all.

/** How long a code works, how often it may be tried, and when asking again sends a new one. */
const CODE_TTL_MS = 30 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
const RESEND_AFTER_SECONDS = 5 * 60;

/** Whether the visitor has shown `email` (lower case) is theirs, and it is still their address. */
export const ownsAddress = (visitor: VisitorRow, email: string): boolean =>
  visitor.confirmedEmail === email && visitor.email?.toLowerCase() === email;

/**
 * Emails the visitor a code for `email`, unless the one sent for it moments ago stands (a second
 * identical request sends nothing). Each new code counts against the limits; over one, nothing
 * is stored or sent and the request is `rate_limited`.
 */
export async function sendOwnershipCode(
  ctx: Context,
  mail: Mail,
  actor: VisitorActor,
  email: string,
  client: { ip: string | null },
): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // Read before the transaction: on the embedded database (one connection) a read through
  // `ctx.db` inside it would wait for the transaction, which waits for it.
  const team = siteSender(await siteById(ctx, actor.siteId), mail.sender);
  await ctx.db.transaction(async (tx) => {
    const stored = await storeEmailCode(
      tx,
      {
        visitorId: actor.id,
        email,
        codeHash: codeHash(ctx, actor.id, email, code),
        expiresAt: new Date(Date.now() + CODE_TTL_MS),
      },
      { resendAfterSeconds: RESEND_AFTER_SECONDS, maxAttempts: MAX_CODE_ATTEMPTS },
    );
    if (!stored) return;
    // Refused here, the transaction is undone: no code stands that was never sent.
    await enforceInTurn(ctx, [
      [`email-codes:visitor:${actor.id}`, limits.emailCodesPerVisitor],
      [`email-codes:ip:${client.ip ?? 'unknown'}`, limits.emailCodesPerIp],
      [`email-codes:address:${email}`, limits.emailCodesPerAddress],
      ['email-codes:all', limits.emailCodesOverall],
    ]);
    await ctx.jobs.enqueue('email', ownershipCodeEmail({ to: email, team, code }), { tx });
  });
  ctx.jobs.wake();
}

/**
 * Takes the code the visitor was emailed for `email`: when it is right, the address is theirs
 * from now on. A wrong code counts as one of its few tries; used up, expired, or for another
 * address, it is refused as such, and a new one is needed.
 */
export async function confirmOwnershipCode(
  ctx: Context,
  actor: VisitorActor,
  email: string,
  code: string,
): Promise<void> {
  const outcome = await ctx.db.transaction(async (tx) => {
    const pending = await lockEmailCode(tx, actor.id);
    if (
      !pending ||
      pending.expired ||
      pending.email !== email ||
      pending.attempts >= MAX_CODE_ATTEMPTS
    ) {
      return 'expired';
    }
    const given = Buffer.from(codeHash(ctx, actor.id, email, code), 'hex');
    const expected = Buffer.from(pending.codeHash, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await countEmailCodeAttempt(tx, actor.id);
      return 'wrong';
    }
    await deleteEmailCode(tx, actor.id);
    return (await markEmailOwned(tx, actor.id, email)) ? 'owned' : 'expired';
  });
  if (outcome === 'expired') {
    throw badRequest('The code has expired or was replaced: ask for a new one', [
      { path: 'code', message: 'Ask for a new code' },
    ]);
  }
  if (outcome === 'wrong') {
    throw badRequest('That is not the code we emailed', [
      { path: 'code', message: 'Not the code we emailed' },
    ]);
  }
}

/** A reply by email came from the visitor's address: it is theirs (see the note above). */
export async function markAddressOwned(
  ctx: Context,
  visitorId: string,
  email: string,
): Promise<void> {
  await markEmailOwned(ctx.db, visitorId, email.toLowerCase());
}

/**
 * Limits checked one after another, narrowest first: a request refused by its own visitor's or
 * IP's limit does not count against the shared ones, so one script cannot use them up for all.
 */
export async function enforceInTurn(ctx: Context, hits: Array<[string, Limit]>): Promise<void> {
  for (const hit of hits) await enforce(ctx.rateLimiter, [hit]);
}

/** An HMAC, not the code: the database alone does not tell it (a million codes are few). */
function codeHash(ctx: Context, visitorId: string, email: string, code: string): string {
  return createHmac('sha256', ctx.tokens.subkey('email-ownership-codes'))
    .update(`${visitorId}\n${email}\n${code}`)
    .digest('hex');
}
