import { randomBytes } from 'node:crypto';
import type {
  SetupReply,
  AuthReply,
  EndedSessionsReply,
  SignedInDevice,
  TwoFactorChallengeReply,
  LoginBody,
  PasswordChangeBody,
  ProfilePatchBody,
  RegisterBody,
  User,
} from '@parley/protocol';
import {
  endSessionFamily,
  endUserSessions,
  endUserSignIn,
  findSessionByHash,
  insertSession,
  listSignIns,
  revokeSession,
} from '../db/sessions.js';
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  toUser,
  updateUser,
  type UserRow,
} from '../db/users.js';
import { tokenIdsActingOrMadeBy } from '../db/api-tokens.js';
import { lockFor } from '../db/locks.js';
import { AppError, conflict, notFound, unauthorized } from '../errors.js';
import type { AgentActor } from './actor.js';
import { requireAdmin, requireWrite } from './actor.js';
import { authenticateApiToken, hashToken, isApiToken } from './api-tokens.js';
import { recordAudit, type RequestOrigin } from './audit.js';
import { placeOf } from './places.js';
import { describeUserAgent } from './user-agent.js';
import type { ClientMeta } from './visitors.js';
import type { Context } from '../context.js';
import { endSignIns } from './sign-ins.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { EMAIL_OFF } from './jobs.js';
import { checkPassword, hashPassword } from './passwords.js';
import { assertPasswordAllowed, ssoLoginInfo } from './sso-settings.js';
import { issueTwoFactorChallenge } from './two-factor-challenge.js';
import { mustSetUpTwoFactor } from './two-factor-policy.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
// A refresh token presented again within this window after it was rotated is refused without
// alarm (two tabs refreshing at once); later, it is a replay and ends all the user's sessions.
const ROTATION_GRACE_MS = 30_000;

/** What a successful sign-in hands the transport: the reply body and the refresh cookie value. */
export type SignedIn = AuthReply & { refreshToken: string };

/** How a sign-in was made, as the audit log records it. */
export type SignInMethod = 'password' | 'register' | 'password_change' | (string & {});

/**
 * A sign-in's options: `familyId` continues one (rotation, not recorded); otherwise a new one
 * starts and is recorded as `sign_in.succeeded` with its `method` (default `password`).
 */
export type SignInOptions = { familyId?: string; method?: SignInMethod };

/**
 * Issues a refresh token and an access token. The fourth argument is the family to continue
 * (rotation), or the options: two-factor and single sign-on pass their `method`.
 */
export async function signIn(
  ctx: Context,
  user: UserRow,
  client: ClientMeta,
  options: string | SignInOptions = {},
): Promise<SignedIn> {
  const { familyId, method = 'password' } =
    typeof options === 'string' ? { familyId: options } : options;
  const refreshToken = randomBytes(32).toString('base64url');
  const session = await insertSession(ctx.db, {
    userId: user.id,
    tokenHash: hashToken(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
    userAgent: client.userAgent,
    ip: client.ip,
    familyId,
  });
  const accessToken = await ctx.tokens.signAccess({
    userId: user.id,
    role: user.role,
    sessionId: session.familyId,
  });
  if (familyId === undefined) {
    await recordAudit(ctx, user, client, 'sign_in.succeeded', user.id, { method });
  }
  return { user: toUser(user), accessToken, refreshToken };
}

/**
 * Ends every browser sign-in of the user: refresh tokens in the database, access tokens and
 * sockets as `endSignIns`. Password change, a disabled account and a replayed refresh token
 * all end here; API tokens are not sign-ins of a browser and outlive a password change.
 */
export async function endAllSessions(ctx: Context, userId: string): Promise<void> {
  await endSignIns(ctx, await endUserSessions(ctx.db, userId));
}

/**
 * A deactivated account stops at once: its browser sign-ins end, and the sockets of the API
 * tokens that act as it or that it made close (REST refuses those tokens from the next request:
 * `findLiveToken` reads the accounts). Such tokens are stopped, not revoked, so they are not
 * remembered as ended: reactivating the account brings them back.
 */
export async function endDeactivatedAccount(ctx: Context, userId: string): Promise<void> {
  await endAllSessions(ctx, userId);
  const tokens = await tokenIdsActingOrMadeBy(ctx.db, userId);
  if (tokens.length > 0) ctx.events.emit('signInsEnded', { sessionIds: tokens });
}

/**
 * Self-registration exists only to create the first account, which becomes the admin. After
 * that, people join through an admin's invitation (services/invitations.ts). Two racing first
 * registrations are serialised by a lock and the count is taken again under it.
 */
export async function register(
  ctx: Context,
  body: RegisterBody,
  client: ClientMeta,
): Promise<SignedIn> {
  if ((await countUsers(ctx.db)) > 0) {
    throw new AppError('registration_closed', 'Registration is closed: ask an admin to add you');
  }
  await assertPasswordAcceptable(body.password, body);
  const passwordHash = await hashPassword(body.password);
  const user = await ctx.db.transaction(async (tx) => {
    await lockFor(tx, 'first-user');
    if ((await countUsers(tx)) > 0) return null;
    return insertUser(tx, { ...body, passwordHash, role: 'admin', emailAlerts: true });
  });
  if (!user)
    throw new AppError('registration_closed', 'Registration is closed: ask an admin to add you');
  return signIn(ctx, user, client, { method: 'register' });
}

/**
 * The same answer for an unknown email, a wrong password and a deactivated account. With
 * two-factor sign-in on, a right password earns a challenge instead of tokens: the code
 * completes the sign-in (services/two-factor.ts).
 */
export async function login(
  ctx: Context,
  body: LoginBody,
  client: ClientMeta,
): Promise<SignedIn | TwoFactorChallengeReply> {
  const user = await findUserByEmail(ctx.db, body.email);
  const ok = await checkPassword(user?.passwordHash ?? null, body.password);
  // A bot never signs in: it has no usable password, and it acts only through its API tokens.
  if (!ok || !user || !user.active || user.kind !== 'person') {
    await recordFailedSignIn(ctx, body.email, user, ok, client);
    throw new AppError('invalid_credentials', 'Wrong email or password');
  }
  // With "SSO only", only the break-glass admin's password is taken (said once it is right).
  await assertPasswordAllowed(ctx, user);
  if (user.totpEnabledAt) return issueTwoFactorChallenge(ctx, user);
  return signIn(ctx, user, client);
}

/**
 * A failed sign-in is recorded with nobody as the actor (who typed it is not known) and the
 * typed email, cut short, as the name; the account it names, if any, as the target. The reason
 * is for the admins reading the log; the client is told the same thing in every case.
 */
async function recordFailedSignIn(
  ctx: Context,
  email: string,
  user: UserRow | null | undefined,
  passwordOk: boolean,
  client: ClientMeta,
): Promise<void> {
  const reason = !user
    ? 'unknown_email'
    : !passwordOk
      ? 'wrong_password'
      : !user.active
        ? 'deactivated'
        : 'bot';
  const name = email.trim().slice(0, 120) || '(no email)';
  await recordAudit(ctx, { id: null, name }, client, 'sign_in.failed', user?.id ?? null, {
    reason,
  });
}

/** Rotates the refresh token: the old one is revoked, a new one issued with a new access token. */
export async function refresh(
  ctx: Context,
  refreshToken: string | undefined,
  client: ClientMeta,
): Promise<SignedIn> {
  if (!refreshToken) throw unauthorized('No session');
  const session = await findSessionByHash(ctx.db, hashToken(refreshToken));
  if (!session || session.expiresAt.getTime() < Date.now()) throw unauthorized('Session expired');
  if (session.revokedAt) {
    if (!session.endedAt && Date.now() - session.revokedAt.getTime() > ROTATION_GRACE_MS) {
      await endAllSessions(ctx, session.userId);
    }
    throw unauthorized('Session expired');
  }
  const user = await findUserById(ctx.db, session.userId);
  if (!user || !user.active) throw unauthorized('Session expired');
  if (!(await revokeSession(ctx.db, session.id))) throw unauthorized('Session expired');
  return signIn(ctx, user, client, session.familyId);
}

export async function logout(ctx: Context, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  const session = await findSessionByHash(ctx.db, hashToken(refreshToken));
  if (!session || session.endedAt) return;
  // This browser's sign-in ends: its access tokens are refused and its sockets closed on every
  // instance. The user's other browsers go on.
  await endSessionFamily(ctx.db, session.familyId);
  await endSignIns(ctx, [session.familyId]);
}

/** The signed-in agent, loaded fresh: a deactivated account stops working at once. */
export async function authenticateAgent(ctx: Context, accessToken: string): Promise<AgentActor> {
  return (await authenticateAgentSession(ctx, accessToken)).actor;
}

/** The agent, their sign-in and when their token expires (a socket must not outlive either). */
export async function authenticateAgentSession(
  ctx: Context,
  accessToken: string,
): Promise<{ actor: AgentActor; sessionId: string; expiresAt: number }> {
  if (isApiToken(accessToken)) return authenticateApiToken(ctx, accessToken);
  const claims = await ctx.tokens.verifyAccess(accessToken);
  if (ctx.revocations.isEnded(claims.sessionId)) throw unauthorized('Session ended');
  const user = await findUserById(ctx.db, claims.userId);
  if (!user || !user.active) throw unauthorized('Account disabled');
  // An admin requires two-factor and this person has not set it up: set-up only (http/auth.ts,
  // realtime/handshake.ts). The row is read anyway; the policy is cached.
  const setUpFirst = await mustSetUpTwoFactor(ctx, user);
  return {
    actor: {
      kind: 'agent',
      id: user.id,
      name: user.name,
      role: user.role,
      sessionId: claims.sessionId,
      ...(setUpFirst ? { mustSetUpTwoFactor: true as const } : {}),
    },
    sessionId: claims.sessionId,
    expiresAt: claims.expiresAt,
  };
}

export async function me(ctx: Context, actor: AgentActor): Promise<User> {
  const user = await findUserById(ctx.db, actor.id);
  if (!user) throw unauthorized();
  return toUser(user);
}

/** True while no account exists: the dashboard then offers the first-run admin set-up. */
export async function needsSetup(ctx: Context): Promise<SetupReply> {
  return {
    needsSetup: (await countUsers(ctx.db)) === 0,
    passwordReset: ctx.email !== undefined,
    sso: await ssoLoginInfo(ctx),
  };
}

/** The signed-in agent edits their name and email alerts (role, capacity, status: elsewhere). */
export async function updateProfile(
  ctx: Context,
  actor: AgentActor,
  body: ProfilePatchBody,
): Promise<User> {
  if (body.emailAlerts && !ctx.email) throw conflict(EMAIL_OFF);
  const user = await updateUser(ctx.db, actor.id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.emailAlerts !== undefined ? { emailAlerts: body.emailAlerts } : {}),
  });
  if (!user) throw unauthorized();
  return toUser(user);
}

/**
 * A new password ends every session of the agent, everywhere (a stolen refresh token dies with
 * the old password), disconnects their sockets, and signs this browser in again.
 */
export async function changePassword(
  ctx: Context,
  actor: AgentActor,
  body: PasswordChangeBody,
  client: ClientMeta,
): Promise<SignedIn> {
  const user = await findUserById(ctx.db, actor.id);
  if (!user || !(await checkPassword(user.passwordHash, body.currentPassword))) {
    throw new AppError('invalid_credentials', 'The current password is wrong');
  }
  await assertPasswordAcceptable(body.newPassword, user, 'newPassword');
  const passwordHash = await hashPassword(body.newPassword);
  const updated = await updateUser(ctx.db, actor.id, { passwordHash });
  if (!updated) throw unauthorized();
  await endAllSessions(ctx, actor.id);
  await recordAudit(ctx, actor, client, 'password.changed', actor.id);
  return signIn(ctx, updated, client, { method: 'password_change' });
}

/** What kind of address it is, from the address alone. */
export function networkOf(ip: string | null): SignedInDevice['network'] {
  if (!ip) return null;
  const v4 = ip.replace(/^::ffff:/, '');
  if (v4 === '::1' || /^127\./.test(v4)) return 'this computer';
  if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)/.test(v4)) return 'private network';
  if (/^(fc|fd|fe80)/i.test(ip)) return 'private network';
  return 'internet';
}

/** The agent's own signed-in browsers, this one marked. */
export async function listDevices(ctx: Context, actor: AgentActor): Promise<SignedInDevice[]> {
  const rows = await listSignIns(ctx.db, actor.id);
  return Promise.all(
    rows.map(async (r) => ({
      id: r.familyId,
      current: r.familyId === actor.sessionId,
      ...describeUserAgent(r.userAgent),
      ip: r.ip,
      network: networkOf(r.ip),
      place: networkOf(r.ip) === 'internet' ? await placeOf(r.ip) : null,
      signedInAt: r.signedInAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
    })),
  );
}

/**
 * Signs one of the agent's own browsers out, at once everywhere (as its own sign-out would).
 * Another's sign-in, or one already ended, is not found: the answer tells nothing of others'.
 */
export async function endDevice(ctx: Context, actor: AgentActor, id: string): Promise<void> {
  if (!(await endUserSignIn(ctx.db, actor.id, id))) throw notFound('Session');
  await endSignIns(ctx, [id]);
}

/** An admin ends every browser sign-in of a user (a lost laptop), recorded in the audit log. */
export async function endUserSessionsByAdmin(
  ctx: Context,
  actor: AgentActor,
  userId: string,
  origin: RequestOrigin,
): Promise<EndedSessionsReply> {
  requireAdmin(actor);
  requireWrite(actor);
  const user = await findUserById(ctx.db, userId);
  if (!user) throw notFound('User');
  const ended = await endUserSessions(ctx.db, userId);
  await endSignIns(ctx, ended);
  await recordAudit(ctx, actor, origin, 'sessions.ended', userId);
  return { ended: ended.length };
}
