import type {
  ConversationListItem,
  ConversationListQuery,
  ConversationListReply,
  ConversationPatchBody,
  ConversationStartPayload,
  ConversationStartReply,
  JoinReply,
  RatePayload,
  StartVisitorChatBody,
  VisitorConversation,
} from '@parley/protocol';
import {
  deleteConversationRow,
  findActiveConversation,
  findConversation,
  findConversationListItem,
  hasValues,
  listConversations as listConversationRows,
  openConversationWith,
  toConversation,
  toVisitorConversation,
  updateConversation,
  type ConversationRow,
} from '../db/conversations.js';
import { isUniqueViolation } from '../db/errors.js';
import { listMessages, toMessage } from '../db/messages.js';
import { findUserById } from '../db/users.js';
import { findVisitor, toVisitor } from '../db/visitors.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { decodeCursor, pageOf } from './cursor.js';
import { requireAdmin, type AgentActor, type VisitorActor } from './actor.js';
import { attachmentsToSend } from './attachments.js';
import type { Context } from '../context.js';
import {
  announceMessage,
  enforceMessageLimit,
  postSystemMessage,
  readableConversation,
  sendMessage,
  storeMessage,
} from './messages.js';
import { spendProof } from './proof-of-work.js';
import { enforce, limits } from './rate-limit.js';
import {
  drainQueue,
  routeConversation,
  routeNewConversation,
  siteAvailability,
} from './routing.js';
import { parseSearch } from './search-text.js';
import { directory, siteById, teamForNewChat } from './sites.js';

/**
 * The visitor's first message: opens their conversation with it (or adds it to the active one,
 * so a resend or a second tab makes no second conversation), announces it, then routes it.
 * One unit: a refused start (over the limit, say) leaves nothing behind, so its retry is a
 * new conversation that agents hear of and routing serves.
 */
export async function startConversation(
  ctx: Context,
  visitor: VisitorActor,
  input: ConversationStartPayload,
  senderSocket?: string,
  client: { ip: string | null } = { ip: null },
): Promise<ConversationStartReply> {
  await enforceMessageLimit(ctx, visitor);
  const dir = await directory(ctx);
  const site = await siteById(ctx, visitor.siteId);
  const teamId = teamForNewChat(dir, site, input.teamId, new Date());
  await guardOfflineForm(ctx, visitor, site.id, input, client);
  const opened = await openConversationWith(
    ctx.db,
    visitor.id,
    {
      clientId: input.clientId,
      sender: 'visitor',
      senderId: visitor.id,
      content: input.content,
      attachments: await attachmentsToSend(ctx, visitor, input.attachmentIds),
    },
    { siteId: site.id, teamId },
  );
  if (!opened) {
    const active = await findActiveConversation(ctx.db, visitor.id);
    if (!active) throw conflict('The conversation changed; try again');
    const { message } = await storeMessage(
      ctx,
      visitor,
      {
        conversationId: active.id,
        content: input.content,
        clientId: input.clientId,
        attachmentIds: input.attachmentIds,
        type: 'text',
      },
      senderSocket,
    );
    return { conversation: await visitorView(ctx, active.id), message };
  }
  const message = toMessage(opened.message, null);
  announceMessage(ctx, message, visitor.id, senderSocket);
  ctx.events.emit('conversationCreated', {
    conversation: await getConversation(ctx, opened.row.id),
  });
  await routeNewConversation(ctx, opened.row);
  return { conversation: await visitorView(ctx, opened.row.id), message };
}

/**
 * A new conversation while the site is away is the offline form: nobody answers it now, and
 * the team is emailed about it. It needs a proof of work, and such starts are capped per
 * address and in all (services/proof-of-work.ts). A resend of a start that went through finds
 * the conversation open and is not asked again.
 */
async function guardOfflineForm(
  ctx: Context,
  visitor: VisitorActor,
  siteId: string,
  input: ConversationStartPayload,
  client: { ip: string | null },
): Promise<void> {
  if (await siteAvailability(ctx, siteId)) return;
  if (await findActiveConversation(ctx.db, visitor.id)) return;
  await spendProof(ctx, input.proof);
  await enforce(ctx.rateLimiter, [
    [`offline-form:ip:${client.ip ?? 'unknown'}`, limits.offlineFormPerIp],
    ['offline-form:all', limits.offlineFormOverall],
  ]);
}

/** The conversation as its visitor sees it. */
export async function visitorView(ctx: Context, id: string): Promise<VisitorConversation> {
  const row = await readableRow(ctx, id);
  return toVisitorConversation(ctx.db, toConversation(row));
}

async function readableRow(ctx: Context, id: string): Promise<ConversationRow> {
  const row = await findConversation(ctx.db, id);
  if (!row) throw notFound('Conversation');
  return row;
}

/** Whose a conversation is, or undefined when there is none (the sockets cache it). */
export async function visitorOfConversation(ctx: Context, id: string): Promise<string | undefined> {
  return (await findConversation(ctx.db, id))?.visitorId;
}

/**
 * The conversation as agents and as its visitor see it now, or undefined once it is gone: what
 * the sockets' outlet sends on every change.
 */
export async function currentViews(
  ctx: Context,
  id: string,
): Promise<{ item: ConversationListItem; visitorView: VisitorConversation } | undefined> {
  const item = await findConversationListItem(ctx.db, id);
  if (!item) return undefined;
  return { item, visitorView: await toVisitorConversation(ctx.db, item) };
}

export async function getConversation(ctx: Context, id: string): Promise<ConversationListItem> {
  const item = await findConversationListItem(ctx.db, id);
  if (!item) throw notFound('Conversation');
  return item;
}

export async function listConversations(
  ctx: Context,
  actor: AgentActor,
  query: ConversationListQuery,
): Promise<ConversationListReply> {
  const assigneeId =
    query.assignee === 'me' ? actor.id : query.assignee === 'none' ? null : query.assignee;
  const items = await listConversationRows(ctx.db, {
    status: query.status,
    tag: query.tag,
    assigneeId,
    siteId: query.siteId,
    teamIds:
      query.teamId === 'mine'
        ? await teamsOf(ctx, actor.id)
        : query.teamId
          ? [query.teamId]
          : undefined,
    terms: query.q ? parseSearch(query.q) : undefined,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const { page, nextCursor } = pageOf(items, query.limit, (c) => ({
    at: c.lastMessageAt,
    id: c.id,
  }));
  return { items: page, nextCursor };
}

/** The teams the agent is in. */
async function teamsOf(ctx: Context, agentId: string): Promise<string[]> {
  const { teams } = await directory(ctx);
  return [...teams.values()].filter((t) => t.memberIds.includes(agentId)).map((t) => t.id);
}

/** Close, reopen, tags and internal notes. Closing frees the agent's slot for the queue. */
export async function patchConversation(
  ctx: Context,
  actor: AgentActor,
  id: string,
  body: ConversationPatchBody,
): Promise<ConversationListItem> {
  const before = await readableRow(ctx, id);
  if (body.status === 'closed' && before.status !== 'closed') {
    await postSystemMessage(ctx, id, `Chat closed by ${actor.name}`);
  }
  const reopening = body.status === 'open' && before.status === 'closed';
  const values = {
    ...(body.tags ? { tags: [...new Set(body.tags)] } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.status === 'closed' && before.status !== 'closed'
      ? { status: 'closed' as const, closedAt: new Date() }
      : {}),
    ...(reopening ? reopened(before) : {}),
  };
  // A retried close (or an open of an open chat) is answered as any other, and changes nothing.
  const row = await updateConversation(ctx.db, id, values).catch(activeConflict);
  if (!row) throw notFound('Conversation');
  if (reopening) await afterReopening(ctx, row, `Chat reopened by ${actor.name}`);
  else if (hasValues(values)) ctx.events.emit('conversationUpdated', { conversationId: id });
  if (body.status === 'closed' && before.status !== 'closed') {
    ctx.events.emit('conversationClosed', { conversation: toConversation(row) });
  }
  if (body.status === 'closed') await drainQueue(ctx);
  return getConversation(ctx, id);
}

/** A closed conversation open again: with its agent if it had one, else back in the queue. */
const reopened = (before: ConversationRow) => ({
  status: before.assigneeId ? ('open' as const) : ('pending' as const),
  closedAt: null,
});

const activeConflict = (error: unknown): never => {
  if (isUniqueViolation(error)) throw conflict('The visitor already has an active conversation');
  throw error;
};

async function afterReopening(ctx: Context, row: ConversationRow, line: string) {
  await postSystemMessage(ctx, row.id, line);
  ctx.events.emit('conversationUpdated', { conversationId: row.id });
  if (!row.assigneeId) await routeConversation(ctx, row.id);
}

/**
 * The visitor wrote into a closed conversation from outside the widget (a reply by email): it
 * opens again. Null when they have another conversation active meanwhile, which is then theirs.
 */
export async function reopenForVisitor(
  ctx: Context,
  before: ConversationRow,
  line: string,
): Promise<ConversationRow | null> {
  if (before.status !== 'closed') return before;
  const row = await updateConversation(ctx.db, before.id, reopened(before)).catch(
    (error: unknown) => (isUniqueViolation(error) ? null : Promise.reject(error)),
  );
  if (!row) return null;
  await afterReopening(ctx, row, line);
  return row;
}

/**
 * Gives the conversation to `agentId`. An agent may take a chat for themselves ("assign to me");
 * handing it to someone else is a transfer, which the assignee or an admin may do.
 */
export async function assignConversation(
  ctx: Context,
  actor: AgentActor,
  id: string,
  agentId: string,
  mode: 'assign' | 'transfer',
): Promise<ConversationListItem> {
  const before = await readableRow(ctx, id);
  if (mode === 'assign' && agentId !== actor.id && actor.role !== 'admin') {
    throw forbidden('Agents assign chats to themselves; use transfer to hand one over');
  }
  if (mode === 'transfer' && before.assigneeId !== actor.id && actor.role !== 'admin') {
    throw forbidden('Only the assignee or an admin can transfer this chat');
  }
  if (before.status === 'closed') throw conflict('This conversation is closed');
  if (before.assigneeId === agentId) return getConversation(ctx, id);
  const agent = await findUserById(ctx.db, agentId);
  if (!agent || !agent.active) throw notFound('Agent');
  const row = await updateConversation(
    ctx.db,
    id,
    { assigneeId: agent.id, status: 'open' },
    { notClosed: true },
  );
  if (!row) throw conflict('This conversation is closed');
  await postSystemMessage(
    ctx,
    id,
    mode === 'transfer' ? `Chat transferred to ${agent.name}` : `${agent.name} joined the chat`,
  );
  ctx.events.emit('conversationUpdated', { conversationId: id });
  ctx.events.emit('conversationAssigned', { conversation: toConversation(row), byId: actor.id });
  if (before.assigneeId) await drainQueue(ctx);
  return getConversation(ctx, id);
}

/**
 * Hands the conversation to a team: it leaves its assignee and waits in that team's queue,
 * where routing gives it to one of the team's agents with room (at once, or when one frees a
 * slot or the team's hours open). The assignee (a bot, typically) or an admin may.
 */
export async function transferToTeam(
  ctx: Context,
  actor: AgentActor,
  id: string,
  teamId: string,
): Promise<ConversationListItem> {
  const before = await readableRow(ctx, id);
  if (before.assigneeId !== actor.id && actor.role !== 'admin') {
    throw forbidden('Only the assignee or an admin can transfer this chat');
  }
  if (before.status === 'closed') throw conflict('This conversation is closed');
  const team = (await directory(ctx)).teams.get(teamId);
  if (!team) throw notFound('Team');
  const row = await updateConversation(
    ctx.db,
    id,
    { assigneeId: null, status: 'pending', teamId },
    { notClosed: true },
  );
  if (!row) throw conflict('This conversation is closed');
  await postSystemMessage(ctx, id, `Chat transferred to the ${team.name} team`);
  ctx.events.emit('conversationUpdated', { conversationId: id });
  await routeConversation(ctx, id);
  if (before.assigneeId) await drainQueue(ctx);
  return getConversation(ctx, id);
}

/** The visitor rates their own conversation (thumbs up or down and a comment). */
export async function rateConversation(
  ctx: Context,
  visitor: VisitorActor,
  input: RatePayload,
): Promise<VisitorConversation> {
  const row = await updateConversation(
    ctx.db,
    input.conversationId,
    { rating: input.rating, ratingComment: input.comment || null, ratedAt: new Date() },
    { visitorId: visitor.id },
  );
  if (!row) throw notFound('Conversation');
  ctx.events.emit('conversationUpdated', { conversationId: row.id });
  ctx.events.emit('conversationRated', { conversation: toConversation(row) });
  return toVisitorConversation(ctx.db, toConversation(row));
}

export const JOIN_HISTORY = 50;

/** An agent opens a conversation: its state, its visitor and the latest messages. */
export async function joinConversation(
  ctx: Context,
  actor: AgentActor,
  id: string,
): Promise<JoinReply> {
  const conversation = await readableConversation(ctx, actor, id);
  const [item, visitor, messages] = await Promise.all([
    getConversation(ctx, id),
    findVisitor(ctx.db, conversation.visitorId),
    listMessages(ctx.db, id, {
      beforeSeq: conversation.lastSeq + 1,
      limit: JOIN_HISTORY,
      includeNotes: true,
    }),
  ]);
  if (!visitor) throw notFound('Conversation');
  return { conversation: item, visitor: toVisitor(visitor), messages };
}

/**
 * An agent invites a browsing visitor: opens a conversation held by the agent and posts the
 * agent's first message, which reaches the visitor's widget live. A visitor who already has an
 * active conversation keeps it, no second one: the message is added to it, as if typed there
 * (whoever holds it). `created` says which. The client id makes a retry the same message.
 */
export async function startChatWithVisitor(
  ctx: Context,
  actor: AgentActor,
  visitorId: string,
  body: StartVisitorChatBody,
): Promise<{ conversation: ConversationListItem; created: boolean }> {
  const visitor = await findVisitor(ctx.db, visitorId);
  if (!visitor) throw notFound('Visitor');
  const active = await findActiveConversation(ctx.db, visitorId);
  if (active) return addToActive(ctx, actor, active.id, body);
  await enforceMessageLimit(ctx, actor);
  const opened = await openConversationWith(
    ctx.db,
    visitorId,
    { clientId: body.clientId, sender: 'agent', senderId: actor.id, content: body.content },
    { siteId: visitor.siteId, teamId: null, assigneeId: actor.id },
  );
  if (!opened) {
    // The visitor started one at the same moment: theirs is the conversation.
    const raced = await findActiveConversation(ctx.db, visitorId);
    if (!raced) throw conflict('The conversation changed; try again');
    return addToActive(ctx, actor, raced.id, body, { counted: true });
  }
  announceMessage(ctx, toMessage(opened.message, actor.name, actor.bot === true), visitorId);
  const conversation = await getConversation(ctx, opened.row.id);
  ctx.events.emit('conversationCreated', { conversation });
  // Tells the visitor's widget that a chat has been opened for them.
  ctx.events.emit('conversationUpdated', { conversationId: opened.row.id });
  return { conversation, created: true };
}

/** The agent's message, added to the visitor's active conversation instead of a new one. */
async function addToActive(
  ctx: Context,
  actor: AgentActor,
  conversationId: string,
  body: StartVisitorChatBody,
  opts: { counted?: boolean } = {},
): Promise<{ conversation: ConversationListItem; created: boolean }> {
  const input = {
    conversationId,
    content: body.content,
    clientId: body.clientId,
    type: 'text' as const,
  };
  await (opts.counted ? storeMessage(ctx, actor, input) : sendMessage(ctx, actor, input));
  return { conversation: await getConversation(ctx, conversationId), created: false };
}

/**
 * An admin deletes a conversation with its messages and files (the files' bytes go by a job
 * the database queues for each, see migration 0010). Agents' lists drop it live.
 */
export async function deleteConversation(
  ctx: Context,
  actor: AgentActor,
  id: string,
): Promise<void> {
  requireAdmin(actor);
  const row = await deleteConversationRow(ctx.db, id);
  if (!row) throw notFound('Conversation');
  ctx.jobs.wake();
  ctx.events.emit('conversationDeleted', { conversationId: id, visitorId: row.visitorId });
  if (row.status !== 'closed') await drainQueue(ctx);
}
