import { z } from 'zod';
import {
  AgentStatus,
  ConversationListItem,
  Message,
  Rating,
  Visitor,
  VisitorConversation,
} from './entities.js';
import type { ErrorInfo } from './errors.js';
import { ClientId, Id, MessageText, safeText, Seq, WebUrl } from './primitives.js';
import { ProofOfWork } from './proof-of-work.js';
import { AttachmentIds, hasContent, SendMessageBody, SendMessageFields } from './rest.js';

/** Largest socket packet the server accepts, in bytes. A 5,000-character message is ~20 KB. */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;

/** Every command's acknowledgement. */
export type AckReply<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo };
export type Ack<T> = (reply: AckReply<T>) => void;

// --- command payloads ---
export const ConversationStartPayload = z
  .object({
    content: MessageText,
    clientId: ClientId,
    attachmentIds: AttachmentIds.optional(),
    /** The department the visitor chose on the pre-chat form: one of the site's teams. */
    teamId: Id.optional(),
    /** A new conversation while the site is away (the offline form) needs a solved challenge. */
    proof: ProofOfWork.optional(),
  })
  .refine(hasContent, { message: 'Message is empty', path: ['content'] });
export type ConversationStartPayload = z.infer<typeof ConversationStartPayload>;
export const ConversationStartReply = z.object({
  conversation: VisitorConversation,
  message: Message,
});
export type ConversationStartReply = z.infer<typeof ConversationStartReply>;

export const VisitorSendPayload = SendMessageFields.pick({
  conversationId: true,
  content: true,
  clientId: true,
  attachmentIds: true,
}).refine(hasContent, { message: 'Message is empty', path: ['content'] });
export type VisitorSendPayload = z.infer<typeof VisitorSendPayload>;
export const AgentSendPayload = SendMessageBody;
export type AgentSendPayload = z.infer<typeof AgentSendPayload>;
export const SendReply = z.object({ message: Message });
export type SendReply = z.infer<typeof SendReply>;

export const MAX_DRAFT_LENGTH = 5000;
export const TypingPayload = z.object({
  conversationId: Id,
  isTyping: z.boolean(),
  /** The visitor's unsent text, for the agents' sneak peek. Ignored from agents. */
  draft: safeText(MAX_DRAFT_LENGTH).optional(),
});
export type TypingPayload = z.infer<typeof TypingPayload>;

export const PageViewPayload = z.object({
  url: WebUrl,
  title: safeText(300).default(''),
});
export type PageViewPayload = z.infer<typeof PageViewPayload>;

export const RatePayload = z.object({
  conversationId: Id,
  rating: Rating,
  comment: safeText(1000).optional(),
});
export type RatePayload = z.infer<typeof RatePayload>;

export const SyncPayload = z.object({
  /** Conversation id -> the last seq this client has seen (0 for none). */
  conversations: z.record(Id, Seq).refine((r) => Object.keys(r).length <= 200, {
    message: 'At most 200 conversations per sync',
  }),
});
export type SyncPayload = z.infer<typeof SyncPayload>;
/** Messages past each given seq, ordered by conversation then seq. */
export const SyncReply = z.object({
  messages: z.array(Message),
  /** Conversations with more missed messages than one sync returns: page the rest over REST. */
  incomplete: z.array(Id),
});
export type SyncReply = z.infer<typeof SyncReply>;

export const JoinPayload = z.object({ conversationId: Id });
export type JoinPayload = z.infer<typeof JoinPayload>;
export const JoinReply = z.object({
  conversation: ConversationListItem,
  visitor: Visitor,
  messages: z.array(Message),
});
export type JoinReply = z.infer<typeof JoinReply>;

export const StatusPayload = z.object({ status: AgentStatus });
export type StatusPayload = z.infer<typeof StatusPayload>;
/**
 * Whether the dashboard is in view on this device (issue 37): nothing is pushed to a device
 * whose dashboard is, and a visitor's message is not pushed at all while any dashboard of the
 * agent's is.
 */
export const VisibilityPayload = z.object({ visible: z.boolean() });
export type VisibilityPayload = z.infer<typeof VisibilityPayload>;

// --- facts ---
export type TypingChanged = {
  conversationId: string;
  sender: 'visitor' | 'agent';
  /** The agent's name, for the widget's "Alice is typing". */
  name: string | null;
  isTyping: boolean;
  /** Only to agents, only from visitors. */
  draft?: string;
};
export type AgentStatusChanged = { agentId: string; status: AgentStatus };
export type MessagesRead = { conversationId: string; reader: 'visitor' | 'agent'; seq: number };
export type Availability = { agentsOnline: boolean };

// --- handshake auth ---
export const AgentHandshake = z.object({
  token: z.string().min(1).max(4000),
  /** The dashboard is in view as it connects (VisibilityPayload); absent: not known, not in view. */
  visible: z.boolean().optional(),
});
export const VisitorHandshake = z.object({ visitorToken: z.string().min(1).max(4000) });

// --- event maps, one per namespace, used by the server's Server<...> and clients' Socket<...> ---
export interface VisitorClientEvents {
  'conversation.start': (p: ConversationStartPayload, ack: Ack<ConversationStartReply>) => void;
  'message.send': (p: VisitorSendPayload, ack: Ack<SendReply>) => void;
  'typing.set': (p: TypingPayload, ack?: Ack<null>) => void;
  'page.view': (p: PageViewPayload, ack?: Ack<null>) => void;
  'conversation.rate': (p: RatePayload, ack: Ack<{ conversation: VisitorConversation }>) => void;
  sync: (p: SyncPayload, ack: Ack<SyncReply>) => void;
}
export interface VisitorServerEvents {
  /** To every socket that may see the message but the one that sent it (its ack carries it). */
  'message.created': (m: Message) => void;
  'typing.changed': (t: TypingChanged) => void;
  'conversation.updated': (c: VisitorConversation) => void;
  'availability.changed': (a: Availability) => void;
  'messages.read': (r: MessagesRead) => void;
  /**
   * Facts may have been lost on their way to this socket (the instance's Redis connection
   * dropped and came back) though the socket stayed connected: `sync` now, as after a reconnect.
   */
  'sync.required': () => void;
  /**
   * An agent banned this visitor (or their address): the server disconnects the socket right
   * after, and refuses every reconnection and request with `banned`.
   */
  'visitor.banned': () => void;
}
export interface AgentClientEvents {
  'message.send': (p: AgentSendPayload, ack: Ack<SendReply>) => void;
  'typing.set': (p: TypingPayload, ack?: Ack<null>) => void;
  'conversation.join': (p: JoinPayload, ack: Ack<JoinReply>) => void;
  'conversation.leave': (p: JoinPayload, ack?: Ack<null>) => void;
  'status.set': (p: StatusPayload, ack: Ack<{ status: AgentStatus }>) => void;
  sync: (p: SyncPayload, ack: Ack<SyncReply>) => void;
  'dashboard.visibility': (p: VisibilityPayload, ack?: Ack<null>) => void;
}
export interface AgentServerEvents {
  /** To every agent socket but the one that sent it (its ack carries it); notes included. */
  'message.created': (m: Message) => void;
  'typing.changed': (t: TypingChanged) => void;
  'conversation.created': (c: ConversationListItem) => void;
  'conversation.updated': (c: ConversationListItem) => void;
  /** An admin deleted it, with its messages and files. */
  'conversation.deleted': (c: { conversationId: string }) => void;
  'visitor.updated': (v: Visitor) => void;
  'agent.status_changed': (s: AgentStatusChanged) => void;
  'messages.read': (r: MessagesRead) => void;
  /** As for visitors: facts may have been lost while the socket stayed connected; `sync` now. */
  'sync.required': () => void;
}

/** Schemas of every command payload, by namespace: the server validates each through these. */
export const visitorCommandSchemas = {
  'conversation.start': ConversationStartPayload,
  'message.send': VisitorSendPayload,
  'typing.set': TypingPayload,
  'page.view': PageViewPayload,
  'conversation.rate': RatePayload,
  sync: SyncPayload,
} satisfies Record<keyof VisitorClientEvents, z.ZodType>;
export const agentCommandSchemas = {
  'message.send': AgentSendPayload,
  'typing.set': TypingPayload,
  'conversation.join': JoinPayload,
  'conversation.leave': JoinPayload,
  'status.set': StatusPayload,
  sync: SyncPayload,
  'dashboard.visibility': VisibilityPayload,
} satisfies Record<keyof AgentClientEvents, z.ZodType>;
