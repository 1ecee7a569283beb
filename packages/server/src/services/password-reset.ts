import { createHash } from 'node:crypto';
import type { PasswordResetBody } from '@parley/protocol';
import { consumePasswordReset, findUsablePasswordReset } from '../db/email.js';
import { findUserById, updateUser } from '../db/users.js';
import { badRequest, conflict, forbidden } from '../errors.js';
import { recordAudit, type RequestOrigin } from './audit.js';
import { endAllSessions } from './auth.js';
import type { Context } from '../context.js';
import { EMAIL_OFF } from './jobs.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { passwordResetAllowed } from './sso-settings.js';

/** A reset link works this long. */
export const RESET_TTL_MS = 60 * 60_000;

/** Only the link's hash is stored: a copy of the database cannot set anyone's password. */
export const hashResetToken = (token: string) =>
  createHash('sha256').update(token).digest('base64url');

const INVALID_LINK = 'This reset link has expired or was already used; ask for a new one';

/**
 * "Forgot password": queues the lookup and the email, so the answer is the same for an address
 * with an account and one without, and says nothing of which it was.
 */
export async function requestPasswordReset(ctx: Context, email: string): Promise<void> {
  if (!ctx.email) throw conflict(EMAIL_OFF);
  await ctx.jobs.enqueue('send-password-reset', { email });
}

/** The link's reset and its account, while the link can still set a password. */
async function usableReset(ctx: Context, token: string) {
  const reset = await findUsablePasswordReset(ctx.db, hashResetToken(token));
  const user = reset && (await findUserById(ctx.db, reset.userId));
  return reset && user?.active ? { reset, user } : null;
}

/**
 * Whether a reset link's token would still set a password (not used, not expired, its account
 * active), without using it: the page of the link says at once when it would not. A wrong
 * token is told the same as a used one, and nothing more.
 */
export async function isPasswordResetUsable(ctx: Context, token: string): Promise<boolean> {
  return (await usableReset(ctx, token)) !== null;
}

/**
 * Sets the new password with a reset link's token: once, before it expires. A password the
 * policy refuses leaves the link usable; a used one ends every session of the account.
 */
export async function resetPassword(
  ctx: Context,
  body: PasswordResetBody,
  origin: RequestOrigin,
): Promise<void> {
  const usable = await usableReset(ctx, body.token);
  if (!usable) throw badRequest(INVALID_LINK);
  const { reset, user } = usable;
  // A link sent before "SSO only" was switched on sets no password afterwards.
  if (!(await passwordResetAllowed(ctx, user.id))) {
    throw forbidden('Passwords are off here: sign in with single sign-on');
  }
  await assertPasswordAcceptable(body.password, user, 'password');
  const passwordHash = await hashPassword(body.password);
  const changed = await ctx.db.transaction(async (tx) => {
    if (!(await consumePasswordReset(tx, reset))) return false;
    await updateUser(tx, user.id, { passwordHash });
    return true;
  });
  if (!changed) throw badRequest(INVALID_LINK);
  await endAllSessions(ctx, user.id);
  await recordAudit(ctx, user, origin, 'password.reset', user.id);
}
