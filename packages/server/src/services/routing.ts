import {
  findConversation,
  listQueued,
  type ConversationRow,
  toConversation,
  updateConversation,
} from '../db/conversations.js';
import { lockFor } from '../db/locks.js';
import { availableAgentIds, findAgentForRouting } from '../db/users.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { AgentActor } from './actor.js';
import { firstResponder } from './bots.js';
import type { Context } from '../context.js';
import { postSystemMessage } from './messages.js';
import { chatSchedule, directory, openNow } from './sites.js';

/**
 * Gives a pending conversation to a connected, online agent of its team (any agent when it has
 * none) with the fewest open chats under their capacity. Returns false when nobody can take it:
 * it stays pending, in its team's queue.
 *
 * The choice and the assignment happen under one lock, so two conversations routed at once
 * (on one instance or several) never both take an agent's last free slot, and the guarded
 * UPDATE means a conversation is never assigned twice.
 */
export async function routeConversation(ctx: Context, conversationId: string): Promise<boolean> {
  return (await tryRoute(ctx, conversationId)) === 'assigned';
}

/**
 * Why a queued conversation was or was not given to someone: `full` when nobody of its team
 * (or nobody at all) has room, `closed` when its team is outside its hours (routing waits for
 * the opening; an agent may still take it by hand), `gone` when it is no longer queued.
 */
type RouteOutcome = 'assigned' | 'full' | 'closed' | 'gone';

async function tryRoute(ctx: Context, conversationId: string): Promise<RouteOutcome> {
  const conversation = await findConversation(ctx.db, conversationId);
  if (!conversation || conversation.status !== 'pending' || conversation.assigneeId) return 'gone';
  const dir = await directory(ctx);
  const schedule = chatSchedule(dir, conversation);
  const hours = schedule ? openNow(schedule, new Date()) : null;
  if (hours && !hours.open) {
    await routeAtOpening(ctx, conversation.teamId ?? conversation.siteId, hours.opensAt);
    return 'closed';
  }
  let candidates = await ctx.presence.connectedAgentIds();
  const team = conversation.teamId ? dir.teams.get(conversation.teamId) : undefined;
  if (team) {
    const members = new Set(team.memberIds);
    candidates = candidates.filter((id) => members.has(id));
  }
  if (candidates.length === 0) return 'full';
  const assigned = await ctx.db.transaction(async (tx) => {
    await lockFor(tx, 'routing');
    const agent = await findAgentForRouting(tx, candidates);
    if (!agent) return 'full' as const;
    const row = await updateConversation(
      tx,
      conversationId,
      { assigneeId: agent.id, status: 'open' },
      { queued: true },
    );
    return row ? { agent, row } : ('gone' as const);
  });
  if (typeof assigned === 'string') return assigned;
  await announceJoined(ctx, assigned.agent.name, assigned.row);
  return 'assigned';
}

/**
 * The queue is served when the hours open (one job per team, or per site for a chat of no team:
 * moved, not added).
 */
async function routeAtOpening(ctx: Context, owner: string, opensAt: string | null) {
  if (!opensAt) return;
  await ctx.jobs.enqueue('route-queue', {}, { key: `hours:${owner}`, runAt: new Date(opensAt) });
}

/** Both sides read who took the chat; the outlets learn it was assigned. */
async function announceJoined(ctx: Context, name: string, row: ConversationRow): Promise<void> {
  await postSystemMessage(ctx, row.id, `${name} joined the chat`);
  ctx.events.emit('conversationUpdated', { conversationId: row.id });
  ctx.events.emit('conversationAssigned', { conversation: toConversation(row), byId: null });
}

/**
 * A conversation a visitor has just started: to the first-responder bot when one is set (the
 * site's, else its team's, else the installation's; it answers whatever the hour, and hands
 * over when it should), else to a person as usual.
 */
export async function routeNewConversation(
  ctx: Context,
  conversation: { id: string; siteId: string; teamId: string | null },
): Promise<boolean> {
  const dir = await directory(ctx);
  const site = dir.sites.find((s) => s.id === conversation.siteId);
  const team = conversation.teamId ? dir.teams.get(conversation.teamId) : undefined;
  const bot = await firstResponder(ctx, [site?.botId ?? null, team?.botId ?? null]);
  if (!bot) return routeConversation(ctx, conversation.id);
  const row = await updateConversation(
    ctx.db,
    conversation.id,
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

/**
 * One pass over the queue, oldest first. A conversation whose team has nobody with room (or is
 * outside its hours) is passed over, and so is the rest of that team's queue in this pass, so
 * one busy team never holds up another's chats; once nobody at all has room, the pass ends.
 */
async function drainOnce(ctx: Context): Promise<void> {
  const blocked = new Set<string>();
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listQueued(ctx.db, 20, after);
    if (page.length === 0) return;
    for (const queued of page) {
      // Whose queue it waits in: its team's, or (of no team) its site's, by the site's hours.
      const queue = queued.teamId ?? `site:${queued.siteId}`;
      if (blocked.has(queue)) continue;
      const outcome = await tryRoute(ctx, queued.id);
      // Nobody at all has room for a chat any agent may take: nobody has for any other.
      if (outcome === 'full' && !queued.teamId) return;
      if (outcome === 'full' || outcome === 'closed') blocked.add(queue);
    }
    const last = page[page.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/**
 * Tells each site's visitors when its team goes from nobody available to someone, or back: an
 * agent of one of the site's teams (any agent, for a site with none) who is connected, online
 * and active. Returns every site's answer.
 */
export async function announceAvailability(ctx: Context): Promise<Map<string, boolean>> {
  const available = new Set(
    await availableAgentIds(ctx.db, await ctx.presence.connectedAgentIds()),
  );
  const dir = await directory(ctx);
  const bySite = new Map<string, boolean>();
  for (const site of dir.sites) {
    const agentsOnline =
      site.teamIds.length === 0
        ? available.size > 0
        : site.teamIds.some((id) => dir.teams.get(id)?.memberIds.some((m) => available.has(m)));
    bySite.set(site.id, agentsOnline);
    if (ctx.presence.setAgentsAvailable(site.id, agentsOnline)) {
      ctx.events.emit('availabilityChanged', { siteId: site.id, agentsOnline });
    }
  }
  return bySite;
}

/** Whether someone can answer the site's chats now (and tells its visitors if that changed). */
export async function siteAvailability(ctx: Context, siteId: string): Promise<boolean> {
  return (await announceAvailability(ctx)).get(siteId) ?? false;
}
