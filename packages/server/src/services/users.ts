import type { AgentStatus, User, UserPatchBody } from '@parley/protocol';
import {
  findUserById,
  listUsers as listUserRows,
  toUser,
  updateUser,
  type UserRow,
} from '../db/users.js';
import { forbidden, notFound } from '../errors.js';
import { requireAdmin, type AgentActor } from './actor.js';
import { changeOf, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';
import { endDeactivatedAccount } from './auth.js';
import { announceAvailability, drainQueue } from './routing.js';
import { assertBreakGlassKept } from './sso-settings.js';

export async function listUsers(ctx: Context): Promise<User[]> {
  return (await listUserRows(ctx.db)).map(toUser);
}

/** Admins change name, role, capacity, status and activity of any user but their own role. */
export async function patchUser(
  ctx: Context,
  actor: AgentActor,
  id: string,
  body: UserPatchBody,
  origin: RequestOrigin,
): Promise<User> {
  requireAdmin(actor);
  if (id === actor.id && (body.active === false || body.role === 'agent')) {
    throw forbidden('You cannot deactivate yourself or drop your own admin role');
  }
  const before = await findUserById(ctx.db, id);
  if (!before) throw notFound('User');
  await assertBreakGlassKept(ctx, id, body);
  const user = await updateUser(ctx.db, id, {
    ...body,
    ...(body.active === false ? { status: 'offline' as const } : {}),
  });
  if (!user) throw notFound('User');
  if (body.active === false) await endDeactivatedAccount(ctx, id);
  await recordUserChange(ctx, actor, origin, before, user);
  if (user.status !== before.status) {
    ctx.events.emit('agentStatusChanged', { agentId: id, status: user.status });
  }
  if (body.capacity !== undefined || body.status !== undefined) await drainQueue(ctx);
  await announceAvailability(ctx);
  return toUser(user);
}

/**
 * What the audit log keeps of an admin's change to a user: name, email, role and capacity as
 * `user.changed` with before and after, and a deactivation or reactivation as its own record.
 * Status (online, away) is everyday work, not a change of who may do what, and is not recorded.
 */
async function recordUserChange(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  before: UserRow,
  after: UserRow,
): Promise<void> {
  const watched = (u: UserRow) => ({
    name: u.name,
    email: u.email,
    role: u.role,
    capacity: u.capacity,
  });
  const change = changeOf(watched(before), watched(after));
  if (Object.keys(change.after).length > 0) {
    await recordAudit(ctx, actor, origin, 'user.changed', after.id, change);
  }
  if (before.active !== after.active) {
    const action = after.active ? 'user.reactivated' : 'user.deactivated';
    await recordAudit(ctx, actor, origin, action, after.id, { name: after.name });
  }
}

/** An agent sets their own status; going online takes chats from the queue. */
export async function setStatus(
  ctx: Context,
  actor: AgentActor,
  status: AgentStatus,
): Promise<AgentStatus> {
  const user = await updateUser(ctx.db, actor.id, { status });
  if (!user) throw notFound('User');
  ctx.events.emit('agentStatusChanged', { agentId: actor.id, status });
  await announceAvailability(ctx);
  if (status === 'online') await drainQueue(ctx);
  return status;
}
