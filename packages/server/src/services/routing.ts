import {
  findConversation,
  listQueuedConversationIds,
  type ConversationRow,
  toConversation,
  updateConversation,
} from '../db/conversations.js';
import { lockFor } from '../db/locks.js';
import { anyAgentAvailable, findAgentForRouting } from '../db/users.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { AgentActor } from './actor.js';
import { firstResponder } from './bots.js';
import type { Context } from '../context.js';
import { postSystemMessage } from './messages.js';

/**
 * Gives a pending conversation to the connected, online agent with the fewest open chats under
 * their capacity. Returns false when nobody can take it: it stays pending, in the queue.
 *
 * The choice and the assignment happen under one lock, so two conversations routed at once
 * (on one instance or several) never both take an agent's last free slot, and the guarded
 * UPDATE means a conversation is never assigned twice.
 */
export async function routeConversation(ctx: Context, conversationId: string): Promise<boolean> {
  const candidates = await ctx.presence.connectedAgentIds();
  if (candidates.length === 0) return false;
  const assigned = await ctx.db.transaction(async (tx) => {
    await lockFor(tx, 'routing');
    const agent = await findAgentForRouting(tx, candidates);
    if (!agent) return null;
    const row = await updateConversation(
      tx,
      conversationId,
      { assigneeId: agent.id, status: 'open' },
      { queued: true },
    );
    return row ? { agent, row } : null;
  });
  if (!assigned) return false;
  await announceJoined(ctx, assigned.agent.name, assigned.row);
  return true;
}

/** Both sides read who took the chat; the outlets learn it was assigned. */
async function announceJoined(ctx: Context, name: string, row: ConversationRow): Promise<void> {
  await postSystemMessage(ctx, row.id, `${name} joined the chat`);
  ctx.events.emit('conversationUpdated', { conversationId: row.id });
  ctx.events.emit('conversationAssigned', { conversation: toConversation(row) });
}

/**
 * A conversation a visitor has just started: to the first-responder bot when one is set (it
 * answers whatever the hour, and hands over when it should), else to a person as usual.
 */
export async function routeNewConversation(ctx: Context, conversationId: string): Promise<boolean> {
  const bot = await firstResponder(ctx);
  if (!bot) return routeConversation(ctx, conversationId);
  const row = await updateConversation(
    ctx.db,
    conversationId,
    { assigneeId: bot.id, status: 'open' },
    { queued: true },
  );
  if (!row) return false;
  await announceJoined(ctx, bot.name, row);
  return true;
}

/**
 * "Hand over to a person": the assignee (a bot, typically) lets the conversation go into the
 * queue, and routing gives it to an agent with room, as any new conversation. Only the
 * assignee or an admin may; a closed conversation stays closed.
 */
export async function handOver(
  ctx: Context,
  actor: AgentActor,
  conversationId: string,
): Promise<boolean> {
  const before = await findConversation(ctx.db, conversationId);
  if (!before) throw notFound('Conversation');
  if (before.assigneeId !== actor.id && actor.role !== 'admin') {
    throw forbidden('Only the assignee or an admin can hand this chat over');
  }
  if (before.status === 'closed') throw conflict('This conversation is closed');
  const row = await updateConversation(
    ctx.db,
    conversationId,
    { assigneeId: null, status: 'pending' },
    { notClosed: true },
  );
  if (!row) throw conflict('This conversation is closed');
  await postSystemMessage(ctx, conversationId, `${actor.name} handed the chat over to the team`);
  ctx.events.emit('conversationUpdated', { conversationId });
  return routeConversation(ctx, conversationId);
}

const draining = new WeakMap<Context, Promise<void>>();

/**
 * Routes queued conversations, oldest first, until the queue is empty or no agent has room.
 * Called when an agent comes online or frees a slot. Calls that overlap share one pass
 * followed by one more, so no slot freed during a pass is overlooked.
 */
export async function drainQueue(ctx: Context): Promise<void> {
  const running = draining.get(ctx);
  const next = (running ?? Promise.resolve()).then(() => drainOnce(ctx));
  const tracked = next.finally(() => {
    if (draining.get(ctx) === tracked) draining.delete(ctx);
  });
  draining.set(ctx, tracked);
  return tracked;
}

async function drainOnce(ctx: Context): Promise<void> {
  for (;;) {
    const ids = await listQueuedConversationIds(ctx.db, 20);
    if (ids.length === 0) return;
    for (const id of ids) {
      if (!(await routeConversation(ctx, id))) return;
    }
  }
}

/** Tells visitors when the team goes from nobody available to someone, or back. */
export async function announceAvailability(ctx: Context): Promise<boolean> {
  const agentsOnline = await anyAgentAvailable(ctx.db, await ctx.presence.connectedAgentIds());
  if (ctx.presence.setAgentsAvailable(agentsOnline)) {
    ctx.events.emit('availabilityChanged', { agentsOnline });
  }
  return agentsOnline;
}
