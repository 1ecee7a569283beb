import { z } from 'zod';
import { ClientId, Id, Seq, Timestamp } from './primitives.js';

export const Role = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof Role>;
export const AgentStatus = z.enum(['online', 'away', 'offline']);
export type AgentStatus = z.infer<typeof AgentStatus>;
export const ConversationStatus = z.enum(['open', 'pending', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;
export const MessageSender = z.enum(['visitor', 'agent', 'system']);
export type MessageSender = z.infer<typeof MessageSender>;
export const MessageType = z.enum(['text', 'note', 'system']);
export type MessageType = z.infer<typeof MessageType>;
export const Rating = z.enum(['up', 'down']);
export type Rating = z.infer<typeof Rating>;

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  role: Role,
  status: AgentStatus,
  capacity: z.int(),
  active: z.boolean(),
  /** Emailed when a conversation waits with nobody to answer (admins start with it on). */
  emailAlerts: z.boolean(),
  /** A bot is driven by an integration through an API token; it never signs in. */
  kind: z.enum(['person', 'bot']),
  /** Signs in with a code from an authenticator app as well as the password. */
  twoFactor: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const Visitor = z.object({
  id: Id,
  /** The website they visit (a person on two of the sites is two visitors). */
  siteId: Id,
  name: z.string().nullable(),
  email: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  ip: z.string().nullable(),
  currentUrl: z.string().nullable(),
  currentTitle: z.string().nullable(),
  online: z.boolean(),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  /** When this visit began: the visitor came (back) after more than 30 minutes away. */
  visitStartedAt: Timestamp,
  /** What the site (setCustomAttributes) or the pre-chat form's own fields tell about them. */
  attributes: z.record(z.string(), z.string()),
  /**
   * The site's own id for this person, set only by a `setUser` whose hash verified: the visitor
   * is verified. Null for an anonymous visitor.
   */
  externalId: z.string().nullable(),
});
export type Visitor = z.infer<typeof Visitor>;

export const PageView = z.object({
  id: Id,
  visitorId: Id,
  url: z.string(),
  title: z.string(),
  createdAt: Timestamp,
});
export type PageView = z.infer<typeof PageView>;

/** A file sent with a message; its bytes are fetched through a short-lived signed URL. */
export const Attachment = z.object({
  id: Id,
  /** As the sender named it, made safe (no path, no control characters). */
  name: z.string(),
  /** Read from the bytes, never taken from the client. */
  contentType: z.string(),
  size: z.int(),
  /** Images only. */
  width: z.int().nullable(),
  height: z.int().nullable(),
});
export type Attachment = z.infer<typeof Attachment>;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  seq: Seq,
  clientId: ClientId.nullable(),
  sender: MessageSender,
  senderId: Id.nullable(),
  /** The agent's name for agent messages; null otherwise. */
  senderName: z.string().nullable(),
  /** Written by a bot (an integration), which both sides see marked as such. */
  fromBot: z.boolean(),
  /** May be empty when the message carries files. */
  content: z.string(),
  type: MessageType,
  attachments: z.array(Attachment),
  readAt: Timestamp.nullable(),
  createdAt: Timestamp,
  /**
   * A visitor's reply by email (issue 32): the address it came from, its From, which is the
   * visitor's address (mail from any other is refused). Absent for a message sent in a chat.
   */
  emailFrom: z.string().optional(),
  /** A note's @mentions (issue 37): the ids of the teammates it names. Absent when none. */
  mentions: z.array(Id).optional(),
});
export type Message = z.infer<typeof Message>;

/** A conversation as agents see it. */
export const Conversation = z.object({
  id: Id,
  visitorId: Id,
  assigneeId: Id.nullable(),
  /** The website the chat came from. */
  siteId: Id,
  /** The team whose queue it is in (or was answered from); null: anyone's. */
  teamId: Id.nullable(),
  status: ConversationStatus,
  tags: z.array(z.string()),
  notes: z.string(),
  rating: Rating.nullable(),
  ratingComment: z.string().nullable(),
  lastSeq: Seq,
  firstResponseAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  lastMessageAt: Timestamp,
  createdAt: Timestamp,
});
export type Conversation = z.infer<typeof Conversation>;

/** A row of the agents' conversation list: the conversation with what the list shows. */
export const ConversationListItem = Conversation.extend({
  visitor: Visitor.pick({ id: true, name: true, email: true, online: true }),
  /** The last message a person wrote (a system line is not one), a note included. */
  lastMessage: Message.pick({
    content: true,
    sender: true,
    senderId: true,
    senderName: true,
    type: true,
    createdAt: true,
  })
    .extend({
      /** Files it sent: the preview says "sent a file" when it has no text. */
      fileCount: z.int(),
    })
    .nullable(),
  /** Visitor messages no agent has marked read. */
  unreadCount: z.int(),
});
export type ConversationListItem = z.infer<typeof ConversationListItem>;

/**
 * A conversation as its visitor sees it: no tags, no internal notes.
 * `assignee` carries only what the widget shows of the agent.
 */
export const VisitorConversation = z.object({
  id: Id,
  status: ConversationStatus,
  assignee: z.object({ id: Id, name: z.string() }).nullable(),
  rating: Rating.nullable(),
  lastSeq: Seq,
  closedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type VisitorConversation = z.infer<typeof VisitorConversation>;

export const CannedResponse = z.object({
  id: Id,
  title: z.string(),
  content: z.string(),
  shortcut: z.string(),
  category: z.string().nullable(),
  createdBy: Id.nullable(),
  createdAt: Timestamp,
});
export type CannedResponse = z.infer<typeof CannedResponse>;
