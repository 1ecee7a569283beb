import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  IDENTITY_CLOCK_SKEW_SECONDS,
  IDENTITY_HASH_MAX_AGE_SECONDS,
  identitySignedText,
  type IdentifyBody,
  type VisitorSessionReply,
} from '@parley/protocol';
import type { Db, Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { claimExternalId, findVisitorByExternalId, moveVisitorHistory } from '../db/identity.js';
import {
  findVisitor,
  insertVisitor,
  toVisitor,
  updateVisitor,
  type VisitorRow,
} from '../db/visitors.js';
import { forbidden, notFound } from '../errors.js';
import type { VisitorActor } from './actor.js';
import { banned, isVisitorBanned } from './bans.js';
import type { Context } from '../context.js';
import { identitySettingsOf } from './identity-settings.js';
import { enforce, limits } from './rate-limit.js';
import { sessionReply } from './visitors.js';

// Verified visitors (issue 19). The site signs its signed-in person's id with the identity
// secret; a claim whose hash verifies makes this browser's visitor the one of that id, with its
// history on every device. Nothing else reaches that visitor: not an unsigned id, not an email
// (there is no lookup by email), not a hash made for another id or with a rotated secret.

/**
 * One refusal for every bad hash (wrong, made for another id, made with a rotated secret, or
 * too old): the same words, and the same work, as it is decided before any visitor is looked up.
 */
const identityRefused = () => forbidden('The identity could not be verified');

function hashVerifies(secret: string, claim: IdentifyBody): boolean {
  const expected = createHmac('sha256', secret)
    .update(identitySignedText(claim.id, claim.issuedAt))
    .digest();
  const given = Buffer.from(claim.hash ?? '', 'hex');
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  if (claim.issuedAt === undefined) return matches;
  const age = Date.now() / 1000 - claim.issuedAt;
  return matches && age <= IDENTITY_HASH_MAX_AGE_SECONDS && age >= -IDENTITY_CLOCK_SKEW_SECONDS;
}

/**
 * `setUser`: who the site says this browser's visitor is. Returns the session to go on with:
 * - a hash that verifies: the verified visitor of that id. An anonymous visitor that claims it
 *   becomes that visitor if there is none yet; if there is, its history moves there (see
 *   moveVisitorHistory) and this browser is that visitor from now on. A visitor verified as
 *   someone else is never merged: the browser just becomes the other person's visitor.
 * - no hash: refused when the admin requires verification; else name and email are the
 *   anonymous visitor's contact details, and the id reaches nothing. On a browser verified as
 *   someone else, the unsigned claim starts a new anonymous visitor: their history stays theirs.
 */
export async function claimIdentity(
  ctx: Context,
  actor: VisitorActor,
  claim: IdentifyBody,
): Promise<VisitorSessionReply> {
  await enforce(ctx.rateLimiter, [
    [`identity:visitor:${actor.id}`, limits.identityClaimsPerVisitor],
  ]);
  const settings = await identitySettingsOf(ctx, actor.siteId);
  const current = await findVisitor(ctx.db, actor.id);
  if (!current) throw notFound('Visitor');
  const details = {
    ...(claim.name ? { name: claim.name } : {}),
    ...(claim.email ? { email: claim.email } : {}),
  };
  if (!claim.hash) {
    if (settings.requireVerification)
      throw forbidden('This site accepts verified identities only: setUser needs a hash');
    return sessionReply(ctx, await unverifiedClaim(ctx, current, claim.id, details));
  }
  if (!hashVerifies(settings.secret, claim)) throw identityRefused();
  // A banned person is banned on a new browser too: nothing of this one moves to them.
  const owner = await findVisitorByExternalId(ctx.db, actor.siteId, claim.id);
  if (owner && (await isVisitorBanned(ctx, owner.id))) throw banned();

  const { visitor, moved } = await inTransactionRetried(ctx.db, (tx) =>
    becomeVerified(tx, current, claim.id, details),
  );
  moved.forEach((conversationId) => ctx.events.emit('conversationUpdated', { conversationId }));
  ctx.events.emit('visitorUpdated', { visitor: toVisitor(visitor) });
  return sessionReply(ctx, visitor);
}

async function unverifiedClaim(
  ctx: Context,
  current: VisitorRow,
  externalId: string,
  details: { name?: string; email?: string },
): Promise<VisitorRow> {
  // Verified: only a signed claim changes it. The same person's unsigned call leaves it be.
  if (current.externalId === externalId) return current;
  if (current.externalId !== null) {
    const { browser, os, ip, siteId } = current;
    return insertVisitor(ctx.db, { ...details, browser, os, ip, siteId });
  }
  if (!details.name && !details.email) return current;
  const row = await updateVisitor(ctx.db, current.id, details);
  if (!row) throw notFound('Visitor');
  ctx.events.emit('visitorUpdated', { visitor: toVisitor(row) });
  return row;
}

async function becomeVerified(
  tx: Tx,
  current: VisitorRow,
  externalId: string,
  details: { name?: string; email?: string },
): Promise<{ visitor: VisitorRow; moved: string[] }> {
  const device = { browser: current.browser, os: current.os, ip: current.ip };
  const owner = await findVisitorByExternalId(tx, current.siteId, externalId);
  if (owner) {
    const moved =
      owner.id !== current.id && current.externalId === null
        ? await moveVisitorHistory(tx, current.id, owner.id)
        : [];
    const visitor = await updateVisitor(tx, owner.id, { ...details, ...device });
    if (!visitor) throw notFound('Visitor');
    return { visitor, moved };
  }
  const claimed =
    current.externalId === null ? await claimExternalId(tx, current.id, externalId, details) : null;
  return {
    visitor:
      claimed ??
      (await insertVisitor(tx, { externalId, ...details, ...device, siteId: current.siteId })),
    moved: [],
  };
}

/**
 * Two browsers claiming one new id at once, or a conversation started while history moves:
 * the unique indexes refuse the loser, whose second try finds the other's result.
 */
async function inTransactionRetried<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.transaction(work);
  }
}
