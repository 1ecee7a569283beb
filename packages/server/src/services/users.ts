import type { AgentStatus, User, UserPatchBody } from '@parley/protocol';
import { findUserById, listUsers as listUserRows, toUser, updateUser } from '../db/users.js';
import { forbidden, notFound } from '../errors.js';
import { requireAdmin, type AgentActor } from './actor.js';
import type { Context } from '../context.js';
import { endDeactivatedAccount } from './auth.js';
import { announceAvailability, drainQueue } from './routing.js';

export async function listUsers(ctx: Context): Promise<User[]> {
  return (await listUserRows(ctx.db)).map(toUser);
}

/** Admins change name, role, capacity, status and activity of any user but their own role. */
export async function patchUser(
  ctx: Context,
  actor: AgentActor,
  id: string,
  body: UserPatchBody,
): Promise<User> {
  requireAdmin(actor);
  if (id === actor.id && (body.active === false || body.role === 'agent')) {
    throw forbidden('You cannot deactivate yourself or drop your own admin role');
  }
  const before = await findUserById(ctx.db, id);
  if (!before) throw notFound('User');
  const user = await updateUser(ctx.db, id, {
    ...body,
    ...(body.active === false ? { status: 'offline' as const } : {}),
  });
  if (!user) throw notFound('User');
  if (body.active === false) await endDeactivatedAccount(ctx, id);
  if (user.status !== before.status) {
    ctx.events.emit('agentStatusChanged', { agentId: id, status: user.status });
  }
  if (body.capacity !== undefined || body.status !== undefined) await drainQueue(ctx);
  await announceAvailability(ctx);
  return toUser(user);
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
