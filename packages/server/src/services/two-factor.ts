import type {
  RecoveryCodesReply,
  TwoFactorEnabledReply,
  TwoFactorLoginBody,
  TwoFactorProof,
  TwoFactorSetupReply,
  TwoFactorStatus,
  User,
} from '@parley/protocol';
import {
  disableTwoFactor,
  enableTwoFactor,
  replaceRecoveryCodes,
  setPendingSecret,
  takeRecoveryCode,
  takeStep,
} from '../db/two-factor.js';
import { findUserById, toUser, type UserRow } from '../db/users.js';
import { AppError, badRequest, conflict, forbidden, notFound, unauthorized } from '../errors.js';
import { requireAdmin, requireWrite, type AgentActor } from './actor.js';
import { recordAudit, type RequestOrigin } from './audit.js';
import { signIn, type SignedIn } from './auth.js';
import { challengeHolds, readTwoFactorChallenge } from './two-factor-challenge.js';
import { isTwoFactorRequired } from './two-factor-policy.js';
import {
  enrolmentOf,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  openSecret,
  sealSecret,
  stepOfCode,
} from './totp.js';
import type { ClientMeta } from './visitors.js';
import type { Context } from '../context.js';

// Two-factor sign-in (issue 36, docs/two-factor.md): a person turns it on from Profile with a
// code, signs in with a code after the password, turns it off with a code; an admin may require
// it (two-factor-policy.ts) and turn it off for someone who lost their phone.

const WRONG_CODE = 'That code is not right. Check that the time on your phone is set automatically';

/** The person signed in to the dashboard: set-up is theirs, not an integration's token's. */
async function personOf(ctx: Context, actor: AgentActor): Promise<UserRow> {
  if (actor.tokenId !== undefined || actor.bot) {
    throw forbidden('Two-factor sign-in is set up by the person, signed in to the dashboard');
  }
  const user = await findUserById(ctx.db, actor.id);
  if (!user) throw unauthorized();
  return user;
}

export async function twoFactorStatus(ctx: Context, actor: AgentActor): Promise<TwoFactorStatus> {
  const user = await findUserById(ctx.db, actor.id);
  if (!user) throw unauthorized();
  return {
    enabled: user.totpEnabledAt !== null,
    enabledAt: user.totpEnabledAt?.toISOString() ?? null,
    recoveryCodesLeft: user.totpRecoveryHashes.length,
    required: user.kind === 'person' && (await isTwoFactorRequired(ctx)),
  };
}

/**
 * A new secret, kept encrypted until a code confirms it; asking again replaces it (a QR code
 * scanned on the wrong phone). This reply is the only one that ever carries a secret.
 */
export async function startTwoFactorSetup(
  ctx: Context,
  actor: AgentActor,
): Promise<TwoFactorSetupReply> {
  const user = await personOf(ctx, actor);
  if (user.totpEnabledAt) throw conflict('Two-factor sign-in is on already');
  const secret = newTotpSecret();
  if (!(await setPendingSecret(ctx.db, user.id, sealSecret(ctx.tokens, user.id, secret)))) {
    throw conflict('Two-factor sign-in is on already');
  }
  return { secret, ...(await enrolmentOf(secret, user.email)) };
}

/** The first code turns it on (and is used up); the recovery codes are shown this once. */
export async function confirmTwoFactor(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  code: string,
): Promise<TwoFactorEnabledReply> {
  const user = await personOf(ctx, actor);
  if (user.totpEnabledAt) throw conflict('Two-factor sign-in is on already');
  const sealed = user.totpPendingSecret;
  const secret = sealed && openSecret(ctx.tokens, user.id, sealed);
  if (!sealed || !secret) throw conflict('Start the set-up first');
  const step = stepOfCode(secret, code);
  if (step === null) throw badRequest(WRONG_CODE, [{ path: 'code', message: WRONG_CODE }]);
  const { codes, hashes } = newRecoveryCodes();
  const enabled = await enableTwoFactor(ctx.db, user.id, sealed, step, hashes);
  // Another request confirmed or replaced the set-up meanwhile.
  if (!enabled) throw conflict('The set-up changed meanwhile: start again');
  await recordAudit(ctx, actor, origin, 'two_factor.enabled', user.id);
  return { user: toUser(enabled), recoveryCodes: codes };
}

/** Off, with a current code or a recovery code; refused while an admin requires it. */
export async function disableOwnTwoFactor(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  proof: TwoFactorProof,
): Promise<User> {
  const user = await personOf(ctx, actor);
  if (!user.totpEnabledAt) throw conflict('Two-factor sign-in is off');
  if (await isTwoFactorRequired(ctx)) {
    throw conflict('Your admin requires two-factor sign-in: it cannot be turned off');
  }
  await requireProof(ctx, user, proof, origin);
  const disabled = await disableTwoFactor(ctx.db, user.id);
  if (!disabled) throw conflict('Two-factor sign-in is off');
  await recordAudit(ctx, actor, origin, 'two_factor.disabled', user.id);
  return toUser(disabled);
}

/** New recovery codes for a current code: the old ones stop working. */
export async function renewRecoveryCodes(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  code: string,
): Promise<RecoveryCodesReply> {
  const user = await personOf(ctx, actor);
  if (!user.totpEnabledAt || !user.totpSecret) throw conflict('Two-factor sign-in is off');
  await requireProof(ctx, user, { code }, origin);
  const { codes, hashes } = newRecoveryCodes();
  if (!(await replaceRecoveryCodes(ctx.db, user.id, user.totpSecret, hashes))) {
    throw conflict('Two-factor sign-in changed meanwhile');
  }
  return { recoveryCodes: codes };
}

/**
 * The second step of a sign-in: the challenge names the user whose password was right, and the
 * code must be theirs. A challenge of a password changed since, of an account deactivated or of
 * one whose two-factor was turned off meanwhile leads nowhere: start again.
 */
export async function completeTwoFactorLogin(
  ctx: Context,
  body: TwoFactorLoginBody,
  client: ClientMeta,
  challenge: Awaited<ReturnType<typeof readTwoFactorChallenge>>,
): Promise<SignedIn> {
  const user = await findUserById(ctx.db, challenge.userId);
  if (
    !user ||
    !user.active ||
    user.kind !== 'person' ||
    !user.totpEnabledAt ||
    !challengeHolds(user, challenge.passwordMark)
  ) {
    throw unauthorized('This sign-in has expired: enter your password again');
  }
  const proof = 'code' in body ? { code: body.code } : { recoveryCode: body.recoveryCode };
  const used = await proofOf(ctx, user, proof);
  if (!used) {
    await recordAudit(ctx, { id: null, name: user.email }, client, 'sign_in.failed', user.id, {
      reason: 'wrong_two_factor_code',
    });
    throw new AppError('invalid_credentials', 'Wrong code');
  }
  if (used === 'recovery_code') {
    await recordAudit(ctx, user, client, 'two_factor.recovery_code_used', user.id);
  }
  return signIn(ctx, user, client, {
    method: used === 'code' ? 'password+code' : 'password+recovery_code',
  });
}

/** An admin turns off a user's two-factor sign-in (a lost phone); recorded. */
export async function resetTwoFactorByAdmin(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  userId: string,
): Promise<User> {
  requireAdmin(actor);
  requireWrite(actor);
  const user = await findUserById(ctx.db, userId);
  if (!user) throw notFound('User');
  const disabled = await disableTwoFactor(ctx.db, userId);
  if (!disabled) throw conflict('Two-factor sign-in is off for this user');
  await recordAudit(ctx, actor, origin, 'two_factor.reset_by_admin', userId);
  if (await isTwoFactorRequired(ctx)) ctx.events.emit('twoFactorRequired', { userIds: [userId] });
  return toUser(disabled);
}

/** A code or recovery code proved and used up, or 400 and nothing used. */
async function requireProof(
  ctx: Context,
  user: UserRow,
  proof: TwoFactorProof,
  origin: RequestOrigin,
): Promise<void> {
  const used = await proofOf(ctx, user, proof);
  const field = 'code' in proof ? 'code' : 'recoveryCode';
  if (!used) throw badRequest(WRONG_CODE, [{ path: field, message: WRONG_CODE }]);
  if (used === 'recovery_code') {
    await recordAudit(ctx, user, origin, 'two_factor.recovery_code_used', user.id);
  }
}

/**
 * Which kind of proof was taken, or null. A code counts once: its step must be later than the
 * last one taken (one UPDATE decides, so of two requests with one code, one wins). A recovery
 * code is removed as it is used, in the same way.
 */
async function proofOf(
  ctx: Context,
  user: UserRow,
  proof: TwoFactorProof,
): Promise<'code' | 'recovery_code' | null> {
  if ('recoveryCode' in proof) {
    const taken = await takeRecoveryCode(ctx.db, user.id, hashRecoveryCode(proof.recoveryCode));
    return taken ? 'recovery_code' : null;
  }
  const sealed = user.totpSecret;
  const secret = sealed && openSecret(ctx.tokens, user.id, sealed);
  if (!sealed || !secret) {
    // Sealed under another server secret (JWT_SECRET changed): an admin resets it.
    ctx.log.warn({ userId: user.id }, 'two-factor secret does not open');
    return null;
  }
  const step = stepOfCode(secret, proof.code);
  if (step === null) return null;
  return (await takeStep(ctx.db, user.id, sealed, step)) ? 'code' : null;
}
