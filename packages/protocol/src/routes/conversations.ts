/**
 * Chats between a visitor and the team: `/api/conversations/*`, their messages and transcripts.
 */
import { z } from 'zod';
import { ConversationListItem, ConversationStatus, Message } from '../entities.js';
import { Email, Id, MAX_SEQ, safeText } from '../primitives.js';
import { ConversationReply, IdParams, Tag } from '../rest.js';
import { ProofOfWork } from '../proof-of-work.js';
import { Cursor, queryInt } from './query.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

export const ConversationListQuery = z.object({
  status: ConversationStatus.optional(),
  /** An agent id, `me`, or `none` for the unassigned queue. */
  assignee: z.union([Id, z.enum(['me', 'none'])]).optional(),
  /** Conversations from this website. */
  siteId: Id.optional(),
  /** Conversations of this team's queue, or of any team the agent is in (`mine`). */
  teamId: z.union([Id, z.literal('mine')]).optional(),
  /** Conversations with this tag. */
  tag: Tag.optional(),
  /** Conversations whose visitor (name, email), tags or messages match, as search finds them. */
  q: safeText(200).optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 100).default(30),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;
export const ConversationListReply = z.object({
  items: z.array(ConversationListItem),
  nextCursor: z.string().nullable(),
});
export type ConversationListReply = z.infer<typeof ConversationListReply>;
export const ConversationPatchBody = z
  .object({
    /** `closed` closes; `open` reopens (it is routed again if no agent holds it). */
    status: z.enum(['open', 'closed']).optional(),
    tags: z.array(Tag).max(20).optional(),
    notes: safeText(5000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type ConversationPatchBody = z.infer<typeof ConversationPatchBody>;
export const AssignBody = z.object({ agentId: Id });
export type AssignBody = z.infer<typeof AssignBody>;
/**
 * To a person (`agentId`), or to a team (`teamId`): the chat leaves its assignee and waits in
 * that team's queue, where routing gives it to one of the team's agents with room.
 */
export const TransferBody = z
  .object({ agentId: Id, teamId: Id })
  .partial()
  .refine((b) => (b.agentId === undefined) !== (b.teamId === undefined), {
    message: 'Either agentId or teamId',
  });
export type TransferBody = z.infer<typeof TransferBody>;
export const MessageListQuery = z.object({
  afterSeq: queryInt(0, MAX_SEQ).optional(),
  beforeSeq: queryInt(1, MAX_SEQ).optional(),
  limit: queryInt(1, 200).default(50),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;
export const MessageListReply = z.object({ messages: z.array(Message) });
export type MessageListReply = z.infer<typeof MessageListReply>;
/**
 * `POST /api/conversations/:id/transcript`: the conversation by email to its visitor. A visitor
 * without an address on file gives one (it is kept); an agent sends to the visitor's. 202.
 * A visitor's transcript goes only to an address they have shown is theirs: for any other, a
 * code is emailed first (`codeSent` in the reply), and the transcript follows when the visitor
 * sends the request again with that `code` (issue 32, docs/email.md).
 */
export const TranscriptBody = z.object({
  email: Email.optional(),
  code: z
    .string()
    .regex(/^\d{6}$/, 'The 6 digits of the code we emailed')
    .optional(),
  /** A visitor's request without `code` sends an email: it needs a solved challenge. */
  proof: ProofOfWork.optional(),
});
export type TranscriptBody = z.infer<typeof TranscriptBody>;
export const TranscriptReply = z.object({
  to: z.string(),
  /** Nothing is sent yet: a code went to `to`, and the transcript follows when it is given. */
  codeSent: z.boolean().optional(),
});
export type TranscriptReply = z.infer<typeof TranscriptReply>;

const tag = 'Conversations';

export const conversationRoutes = {
  listConversations: {
    ...at.listConversations,
    tag,
    summary: 'List conversations, newest activity first',
    auth: 'agent',
    query: ConversationListQuery,
    responses: { 200: ConversationListReply },
  },
  getConversation: {
    ...at.getConversation,
    tag,
    summary: 'One conversation',
    auth: 'agent',
    params: IdParams,
    responses: { 200: ConversationReply },
    errors: [404],
  },
  updateConversation: {
    ...at.updateConversation,
    tag,
    summary: 'Close or reopen a conversation, set its tags and notes',
    auth: 'agent',
    params: IdParams,
    body: ConversationPatchBody,
    responses: { 200: ConversationReply },
    errors: [404, 409],
  },
  deleteConversation: {
    ...at.deleteConversation,
    tag,
    summary: 'Delete a conversation and its messages',
    auth: 'admin',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
  assignConversation: {
    ...at.assignConversation,
    tag,
    summary: 'Take a conversation (admins: give it to anyone)',
    auth: 'agent',
    params: IdParams,
    body: AssignBody,
    responses: { 200: ConversationReply },
    errors: [403, 404, 409],
  },
  transferConversation: {
    ...at.transferConversation,
    tag,
    summary: "Hand a conversation over to another agent, or to a team's queue",
    auth: 'agent',
    params: IdParams,
    body: TransferBody,
    responses: { 200: ConversationReply },
    errors: [403, 404, 409],
  },
  handOverConversation: {
    ...at.handOverConversation,
    tag,
    summary: 'Give the conversation to the team: routing finds a person for it',
    description:
      'What a bot calls when the visitor needs a person. Only the assignee or an admin may; the chat goes to the online agent with the most room, or waits in the queue.',
    auth: 'agent',
    params: IdParams,
    responses: { 200: ConversationReply },
    errors: [403, 404, 409],
  },
  listMessages: {
    ...at.listMessages,
    tag,
    summary: "A conversation's messages in seq order",
    description: 'Visitors read their own conversations, without notes.',
    auth: 'agent-or-visitor',
    params: IdParams,
    query: MessageListQuery,
    responses: { 200: MessageListReply },
    errors: [404],
  },
  sendTranscript: {
    ...at.sendTranscript,
    tag,
    summary: 'Email the conversation to its visitor',
    auth: 'agent-or-visitor',
    params: IdParams,
    body: TranscriptBody,
    optionalBody: true,
    responses: { 202: TranscriptReply },
    errors: [404, 409, 429],
  },
} as const satisfies RouteEntries;
