import { randomBytes } from 'node:crypto';
import type {
  SetupReply,
  AuthReply,
  CreateUserBody,
  LoginBody,
  PasswordChangeBody,
  ProfilePatchBody,
  RegisterBody,
  User,
} from '@parley/protocol';
import {
  endSessionFamily,
  endUserSessions,
  findSessionByHash,
  insertSession,
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
import { AppError, conflict, unauthorized } from '../errors.js';
import type { AgentActor } from './actor.js';
import { requireAdmin } from './actor.js';
import { authenticateApiToken, hashToken, isApiToken } from './api-tokens.js';
import type { Context } from '../context.js';
import { endSignIns } from './sign-ins.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { EMAIL_OFF } from './jobs.js';
import { checkPassword, hashPassword } from './passwords.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
// A refresh token presented again within this window after it was rotated is refused without
// alarm (two tabs refreshing at once); later, it is a replay and ends all the user's sessions.
const ROTATION_GRACE_MS = 30_000;

/** What a successful sign-in hands the transport: the reply body and the refresh cookie value. */
export type SignedIn = AuthReply & { refreshToken: string };

/** Issues a refresh token and an access token; `familyId` continues a sign-in (rotation). */
async function signIn(
  ctx: Context,
  user: UserRow,
  userAgent: string | null,
  familyId?: string,
): Promise<SignedIn> {
  const refreshToken = randomBytes(32).toString('base64url');
  const session = await insertSession(ctx.db, {
    userId: user.id,
    tokenHash: hashToken(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
    userAgent,
    familyId,
  });
  const accessToken = await ctx.tokens.signAccess({
    userId: user.id,
    role: user.role,
    sessionId: session.familyId,
  });
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
 * that, agents are added by an admin (`createUser`). Two racing first registrations are
 * serialised by a lock and the count is taken again under it.
 */
export async function register(
  ctx: Context,
  body: RegisterBody,
  userAgent: string | null,
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
  return signIn(ctx, user, userAgent);
}

/** The same answer for an unknown email, a wrong password and a deactivated account. */
export async function login(
  ctx: Context,
  body: LoginBody,
  userAgent: string | null,
): Promise<SignedIn> {
  const user = await findUserByEmail(ctx.db, body.email);
  const ok = await checkPassword(user?.passwordHash ?? null, body.password);
  // A bot never signs in: it has no usable password, and it acts only through its API tokens.
  if (!ok || !user || !user.active || user.kind !== 'person') {
    throw new AppError('invalid_credentials', 'Wrong email or password');
  }
  return signIn(ctx, user, userAgent);
}

/** Rotates the refresh token: the old one is revoked, a new one issued with a new access token. */
export async function refresh(
  ctx: Context,
  refreshToken: string | undefined,
  userAgent: string | null,
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
  return signIn(ctx, user, userAgent, session.familyId);
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
  return {
    actor: { kind: 'agent', id: user.id, name: user.name, role: user.role },
    sessionId: claims.sessionId,
    expiresAt: claims.expiresAt,
  };
}

export async function me(ctx: Context, actor: AgentActor): Promise<User> {
  const user = await findUserById(ctx.db, actor.id);
  if (!user) throw unauthorized();
  return toUser(user);
}

/** An admin adds an agent (or another admin). */
export async function createUser(
  ctx: Context,
  actor: AgentActor,
  body: CreateUserBody,
): Promise<User> {
  requireAdmin(actor);
  await assertPasswordAcceptable(body.password, body);
  const passwordHash = await hashPassword(body.password);
  const user = await insertUser(ctx.db, {
    name: body.name,
    email: body.email,
    passwordHash,
    role: body.role,
    capacity: body.capacity,
    emailAlerts: body.role === 'admin',
  });
  if (!user) throw conflict('A user with this email exists');
  return toUser(user);
}

/** True while no account exists: the dashboard then offers the first-run admin set-up. */
export async function needsSetup(ctx: Context): Promise<SetupReply> {
  return { needsSetup: (await countUsers(ctx.db)) === 0, passwordReset: ctx.email !== undefined };
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
  userAgent: string | null,
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
  return signIn(ctx, updated, userAgent);
}
