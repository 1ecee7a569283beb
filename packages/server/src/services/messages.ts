import type {
  Message,
  MessageListQuery,
  ReadBody,
  SendMessageBody,
  SyncReply,
} from '@parley/protocol';
import { findConversation, lastSeqsOf } from '../db/conversations.js';
import { appendMessage } from '../db/message-appender.js';
import {
  listMessages as listMessageRows,
  listMissedMessages,
  markRead as markReadRows,
  toMessage,
} from '../db/messages.js';
import { activePeopleAmong } from '../db/users.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { Actor } from './actor.js';
import { attachmentsToSend } from './attachments.js';
import type { Context } from '../context.js';
import { enforce, limits } from './rate-limit.js';

/** Most messages one sync returns per conversation; the rest is paged over REST. */
export const SYNC_PAGE = 500;

export type SendResult = { message: Message; created: boolean };

/**
 * Stores a message and announces it: the one path for REST and sockets, visitors and agents.
 * A resend (same sender and clientId) returns the stored message and announces nothing.
 * Every check comes before any write: a refused message changes nothing.
 */
export async function sendMessage(
  ctx: Context,
  actor: Actor,
  input: SendMessageBody,
  senderSocket?: string,
): Promise<SendResult> {
  if (actor.kind === 'visitor' && input.type !== 'text') throw forbidden('Visitors send text only');
  await enforceMessageLimit(ctx, actor);
  return storeMessage(ctx, actor, input, senderSocket);
}

/** Counts a message against its sender's limit; `rate_limited` when over it. */
export async function enforceMessageLimit(ctx: Context, actor: Actor): Promise<void> {
  await enforce(ctx.rateLimiter, [
    [
      `messages:${actor.kind}:${actor.id}`,
      actor.kind === 'agent' ? limits.messagesPerAgent : limits.messagesPerVisitor,
    ],
  ]);
}

/** `sendMessage` once the message has been counted against the sender's limit. */
export async function storeMessage(
  ctx: Context,
  actor: Actor,
  input: SendMessageBody & {
    /** A visitor's reply by email (jobs/receive-email.ts): the address it came from. */
    emailFrom?: string;
  },
  senderSocket?: string,
): Promise<SendResult> {
  const started = performance.now();
  const senderName = actor.kind === 'agent' ? actor.name : null;
  const fromBot = actor.kind === 'agent' && actor.bot === true;
  const attachments = await attachmentsToSend(ctx, actor, input.attachmentIds);
  const mentions = await mentionsOf(ctx, actor, input);
  const result = await appendMessage(
    ctx.db,
    {
      conversationId: input.conversationId,
      clientId: input.clientId,
      sender: actor.kind,
      senderId: actor.id,
      content: input.content,
      type: input.type,
      attachments,
      emailFrom: input.emailFrom ?? null,
      mentions,
    },
    actor.kind === 'visitor' ? actor.id : undefined,
  );
  switch (result.outcome) {
    case 'not_found':
      throw notFound('Conversation');
    case 'closed':
      throw conflict('This conversation is closed');
    case 'duplicate':
      return { message: toMessage(result.message, senderName, fromBot), created: false };
    case 'created': {
      const message = toMessage(result.message, senderName, fromBot);
      announceMessage(ctx, message, result.visitorId, senderSocket);
      ctx.metrics.deliveryLatency.observe((performance.now() - started) / 1000);
      return { message, created: true };
    }
  }
}

/**
 * A note's mentions, checked: only agents mention (the schema allows them in notes only), and
 * each must be an active teammate, not a bot. An unknown or deactivated one is a 400 naming it.
 */
async function mentionsOf(
  ctx: Context,
  actor: Actor,
  input: SendMessageBody,
): Promise<string[] | null> {
  const asked = input.mentions ?? [];
  if (asked.length === 0) return null;
  if (actor.kind !== 'agent' || input.type !== 'note') {
    throw forbidden('Only a note mentions teammates');
  }
  const found = new Set(await activePeopleAmong(ctx.db, asked));
  const missing = asked.findIndex((id) => !found.has(id));
  if (missing >= 0) {
    throw badRequest('Mentioned teammate not found', [
      { path: `mentions.${missing}`, message: 'No active teammate has this id' },
    ]);
  }
  return asked;
}

/** Tells everyone who may see it (the outlets choose whom) that a message was stored. */
export function announceMessage(
  ctx: Context,
  message: Message,
  visitorId: string,
  senderSocket?: string,
): void {
  ctx.events.emit('messageCreated', { message, visitorId, senderSocket });
  ctx.metrics.messagesSent.inc({ sender: message.sender, type: message.type });
}

/** A line such as "Alice joined the chat", seen by both sides, with its own seq. */
export async function postSystemMessage(
  ctx: Context,
  conversationId: string,
  content: string,
): Promise<Message | null> {
  const result = await appendMessage(ctx.db, {
    conversationId,
    clientId: null,
    sender: 'system',
    senderId: null,
    content,
    type: 'system',
  });
  if (result.outcome !== 'created') return null;
  const message = toMessage(result.message, null);
  ctx.events.emit('messageCreated', { message, visitorId: result.visitorId });
  return message;
}

/** The conversation if the actor may read it; otherwise not found, whether it exists or not. */
export async function readableConversation(ctx: Context, actor: Actor, conversationId: string) {
  const conversation = await findConversation(ctx.db, conversationId);
  if (!conversation) throw notFound('Conversation');
  if (actor.kind === 'visitor' && conversation.visitorId !== actor.id)
    throw notFound('Conversation');
  return conversation;
}

export async function listMessages(
  ctx: Context,
  actor: Actor,
  conversationId: string,
  query: MessageListQuery,
): Promise<Message[]> {
  await readableConversation(ctx, actor, conversationId);
  return listMessageRows(ctx.db, conversationId, {
    ...query,
    includeNotes: actor.kind === 'agent',
  });
}

/** Marks the other side's messages up to `seq` as read, and tells both sides. */
export async function markRead(ctx: Context, actor: Actor, body: ReadBody): Promise<void> {
  const conversation = await readableConversation(ctx, actor, body.conversationId);
  const changed = await markReadRows(ctx.db, conversation.id, actor.kind, body.seq);
  if (changed === 0) return;
  ctx.events.emit('messagesRead', {
    conversationId: conversation.id,
    visitorId: conversation.visitorId,
    reader: actor.kind,
    seq: body.seq,
  });
}

/**
 * What the client missed since the seqs it gives: the reconnect path of Delivery. Conversations
 * the actor may not read are dropped silently, as if they did not exist.
 */
export async function sync(
  ctx: Context,
  actor: Actor,
  since: Record<string, number>,
): Promise<SyncReply> {
  const lastSeqs = await lastSeqsOf(
    ctx.db,
    Object.keys(since),
    actor.kind === 'visitor' ? actor.id : undefined,
  );
  const readable = Object.fromEntries([...lastSeqs.keys()].map((id) => [id, since[id] ?? 0]));
  const messages = await listMissedMessages(ctx.db, readable, {
    includeNotes: actor.kind === 'agent',
    perConversation: SYNC_PAGE,
  });
  const incomplete = [...lastSeqs]
    .filter(([id, lastSeq]) => lastSeq > (readable[id] ?? 0) + SYNC_PAGE)
    .map(([id]) => id);
  return { messages, incomplete };
}
