import { setStatusOfAll, updateUser } from '../db/users.js';
import { setAllVisitorsOffline } from '../db/visitors.js';
import type { Context } from '../context.js';
import { announceAvailability, drainQueue } from './routing.js';
import { setVisitorOnline } from './visitors.js';

/**
 * An agent's first socket makes them online and takes chats from the queue; their last socket
 * leaving makes them offline. Open tabs are counted, so closing one of two changes nothing.
 */
export async function agentConnected(ctx: Context, agentId: string): Promise<void> {
  if (!(await ctx.presence.agentConnected(agentId))) return;
  await updateUser(ctx.db, agentId, { status: 'online' });
  ctx.events.emit('agentStatusChanged', { agentId, status: 'online' });
  await announceAvailability(ctx);
  await drainQueue(ctx);
}

export async function agentDisconnected(ctx: Context, agentId: string): Promise<void> {
  if (!(await ctx.presence.agentDisconnected(agentId))) return;
  await updateUser(ctx.db, agentId, { status: 'offline' });
  ctx.events.emit('agentStatusChanged', { agentId, status: 'offline' });
  await announceAvailability(ctx);
}

export async function visitorConnected(ctx: Context, visitorId: string): Promise<void> {
  if (await ctx.presence.visitorConnected(visitorId)) await setVisitorOnline(ctx, visitorId, true);
}

export async function visitorDisconnected(ctx: Context, visitorId: string): Promise<void> {
  if (await ctx.presence.visitorDisconnected(visitorId))
    await setVisitorOnline(ctx, visitorId, false);
}

/**
 * When this is the only instance, nobody is connected at start-up, whatever the last run left
 * behind (a crash leaves agents "online").
 */
export async function resetPresence(ctx: Context): Promise<void> {
  await setStatusOfAll(ctx.db, 'offline');
  await setAllVisitorsOffline(ctx.db);
}

/** Agents and visitors whose instance died without telling: offline now, and everyone is told. */
export async function markReapedOffline(
  ctx: Context,
  reaped: { agents: string[]; visitors: string[] },
): Promise<void> {
  for (const agentId of reaped.agents) {
    await updateUser(ctx.db, agentId, { status: 'offline' });
    ctx.events.emit('agentStatusChanged', { agentId, status: 'offline' });
  }
  for (const visitorId of reaped.visitors) await setVisitorOnline(ctx, visitorId, false);
  if (reaped.agents.length > 0) await announceAvailability(ctx);
}
