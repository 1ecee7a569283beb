/**
 * Sending and reading messages over REST: `/api/messages/*`. Sockets share `SendMessageBody` (rest.ts).
 */
import { z } from 'zod';
import { Message } from '../entities.js';
import { Id, Seq } from '../primitives.js';
import { SendMessageBody } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

export const MessageReply = z.object({ message: Message });
export type MessageReply = z.infer<typeof MessageReply>;
export const ReadBody = z.object({ conversationId: Id, seq: Seq });
export type ReadBody = z.infer<typeof ReadBody>;

const tag = 'Messages';

export const messageRoutes = {
  sendMessage: {
    ...at.sendMessage,
    tag,
    summary: 'Send a message (or an internal note)',
    description:
      '201 when stored now; 200 with the stored message when its `clientId` was sent before (a resend).',
    auth: 'agent-or-visitor',
    body: SendMessageBody,
    responses: { 200: MessageReply, 201: MessageReply },
    errors: [403, 404, 409, 429],
  },
  markRead: {
    ...at.markRead,
    tag,
    summary: 'Mark the messages up to a seq as read',
    auth: 'agent-or-visitor',
    body: ReadBody,
    responses: { 204: null },
    errors: [404, 429],
  },
} as const satisfies RouteEntries;
