import { TwoFactorPolicy } from '@parley/protocol';
import { getSetting, putSetting } from '../db/settings.js';
import { peopleWithoutTwoFactor } from '../db/two-factor.js';
import { findUserById, type UserRow } from '../db/users.js';
import { AppError, conflict } from '../errors.js';
import { requireAdmin, type AgentActor } from './actor.js';
import { recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';

// Settings → Sign-in: whether an admin requires two-factor sign-in of every person. Kept in
// `settings` under its own key. Every request of a person without two-factor asks it
// (authenticateAgentSession), so it is kept in memory for a few seconds: another instance's
// change takes effect here within that; this instance's at once.
const KEY = 'two_factor_policy';
export const POLICY_TTL_MS = 5_000;
// By server (its context), as each test's server starts afresh on an emptied database.
const known = new WeakMap<Context, { policy: TwoFactorPolicy; readAt: number }>();

async function policyOf(ctx: Context): Promise<TwoFactorPolicy> {
  const cached = known.get(ctx);
  if (cached && Date.now() - cached.readAt < POLICY_TTL_MS) return cached.policy;
  const stored = TwoFactorPolicy.safeParse(await getSetting(ctx.db, KEY));
  const policy = stored.success ? stored.data : { required: false };
  known.set(ctx, { policy, readAt: Date.now() });
  return policy;
}

/**
 * Whether this person must set up two-factor sign-in before anything else. Someone with it on
 * costs nothing more (the row is read anyway); someone without it, a look at the cached policy.
 * Bots and API tokens are not sign-ins of a person and never are.
 */
export async function mustSetUpTwoFactor(ctx: Context, user: UserRow): Promise<boolean> {
  if (user.kind !== 'person' || user.totpEnabledAt !== null) return false;
  return (await policyOf(ctx)).required;
}

/** The refusal for everything but set-up, REST or socket. */
export const twoFactorRequired = () =>
  new AppError(
    'two_factor_required',
    'Your admin requires two-factor sign-in: set it up in your profile first',
  );

export async function isTwoFactorRequired(ctx: Context): Promise<boolean> {
  return (await policyOf(ctx)).required;
}

export async function getTwoFactorPolicy(
  ctx: Context,
  actor: AgentActor,
): Promise<TwoFactorPolicy> {
  requireAdmin(actor);
  return policyOf(ctx);
}

/**
 * Requires it of everyone, or stops. An admin who has not set it up themselves is told to
 * first: otherwise their own next request would be confined to set-up.
 */
export async function setTwoFactorPolicy(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  policy: TwoFactorPolicy,
): Promise<TwoFactorPolicy> {
  requireAdmin(actor);
  if (policy.required && actor.tokenId === undefined) {
    const me = await findUserById(ctx.db, actor.id);
    if (me?.kind === 'person' && me.totpEnabledAt === null) {
      throw conflict('Turn on two-factor sign-in for yourself first (Profile)');
    }
  }
  const before = await policyOf(ctx);
  await putSetting(ctx.db, KEY, policy);
  known.set(ctx, { policy, readAt: Date.now() });
  if (before.required !== policy.required) {
    await recordAudit(ctx, actor, origin, 'two_factor_policy.changed', KEY, {
      before,
      after: policy,
    });
    if (policy.required) {
      ctx.events.emit('twoFactorRequired', { userIds: await peopleWithoutTwoFactor(ctx.db) });
    }
  }
  return policy;
}
