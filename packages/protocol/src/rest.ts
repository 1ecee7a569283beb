import { z } from 'zod';
import {
  AgentStatus,
  Attachment,
  CannedResponse,
  Conversation,
  ConversationListItem,
  ConversationStatus,
  Message,
  PageView,
  Rating,
  Role,
  User,
  Visitor,
  VisitorConversation,
} from './entities.js';
import {
  ClientId,
  Email,
  FileName,
  Id,
  MessageContent,
  MessageText,
  Name,
  MAX_SEQ,
  Password,
  Seq,
  safeText,
  Timestamp,
} from './primitives.js';
import { AttributeKey } from './settings.js';

// Query strings arrive as text: these coerce and still refuse garbage.
const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);

/** `:id` in a route. */
export const IdParams = z.object({ id: Id });

// --- auth ---
export const RegisterBody = z.object({ name: Name, email: Email, password: Password });
export type RegisterBody = z.infer<typeof RegisterBody>;
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(256) });
export type LoginBody = z.infer<typeof LoginBody>;
export const AuthReply = z.object({ user: User, accessToken: z.string() });
export type AuthReply = z.infer<typeof AuthReply>;
export const MeReply = z.object({ user: User });
export type MeReply = z.infer<typeof MeReply>;

// --- conversations ---
export const Tag = safeText(40).pipe(z.string().min(1));

export const ConversationListQuery = z.object({
  status: ConversationStatus.optional(),
  /** An agent id, `me`, or `none` for the unassigned queue. */
  assignee: z.union([Id, z.enum(['me', 'none'])]).optional(),
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
export const ConversationReply = z.object({ conversation: ConversationListItem });
export type ConversationReply = z.infer<typeof ConversationReply>;

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

// --- search ---
/**
 * `GET /api/search` (agents): messages whose text holds every word typed, in any order, each
 * as a prefix (`refu` finds "refunded"); case and accents do not matter, and `INV-12345` or
 * `dora@example.com` are found as typed. "Quoted words" must stand together, in that order.
 * Conversations whose visitor's name or email, or whose tags, match are hits too. Newest first,
 * over all history; system lines are never found, notes are.
 */
export const SearchQuery = z.object({
  q: safeText(200).pipe(z.string().min(1, 'Nothing to search for')),
  cursor: Cursor.optional(),
  limit: queryInt(1, 50).default(20),
});
export type SearchQuery = z.infer<typeof SearchQuery>;
/** Matched words in a text: [start, end) in UTF-16 code units, in order. */
const Highlights = z.array(z.tuple([z.int().min(0), z.int().min(0)]));
export const SearchHit = z.object({
  conversation: Conversation.pick({ id: true, status: true, assigneeId: true }).extend({
    visitor: Visitor.pick({ id: true, name: true, email: true }),
  }),
  /** The matching message; null when only the conversation (its visitor or tags) matches. */
  message: Message.pick({
    id: true,
    seq: true,
    sender: true,
    senderName: true,
    type: true,
    createdAt: true,
  })
    .extend({
      /** Plain text: the message, or the part of a long one around its first match. */
      snippet: z.string(),
      /** The matched words in `snippet`: [start, end) in UTF-16 code units, in order. */
      highlights: Highlights,
    })
    .nullable(),
  /**
   * Why a conversation with no matching message was found, for the agent to see: the matched
   * words in its visitor's name and email (ranges as in `highlights`), and its tags that hold a
   * searched word. Empty all through when another of the visitor's details matched (a signed-in
   * id, an attribute). Null on a message hit.
   */
  matched: z.object({ name: Highlights, email: Highlights, tags: z.array(Tag) }).nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;
export const SearchReply = z.object({
  items: z.array(SearchHit),
  /**
   * Where the next page starts; null once all history is searched. A page may hold fewer than
   * `limit` items, even none, while one follows: a request reads a bounded part of history.
   */
  nextCursor: z.string().nullable(),
});
export type SearchReply = z.infer<typeof SearchReply>;

// --- messages ---
export const MessageListQuery = z.object({
  afterSeq: queryInt(0, MAX_SEQ).optional(),
  beforeSeq: queryInt(1, MAX_SEQ).optional(),
  limit: queryInt(1, 200).default(50),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;
export const MessageListReply = z.object({ messages: z.array(Message) });
export type MessageListReply = z.infer<typeof MessageListReply>;

/** Files one message may carry, uploaded first (`PUT /api/attachments/:id`). */
export const MAX_ATTACHMENTS = 10;
export const AttachmentIds = z
  .array(Id)
  .min(1)
  .max(MAX_ATTACHMENTS)
  .refine((ids) => new Set(ids).size === ids.length, 'The same file twice');
/** A message says something, sends files, or both. */
export const hasContent = (b: { content: string; attachmentIds?: string[] | undefined }) =>
  b.content.length > 0 || (b.attachmentIds?.length ?? 0) > 0;
const empty = { message: 'Message is empty', path: ['content'] };

export const SendMessageFields = z.object({
  conversationId: Id,
  /** May be empty when files are sent. */
  content: MessageText,
  clientId: ClientId,
  attachmentIds: AttachmentIds.optional(),
  /** `note` is for agents only: visible to the team, never to the visitor. */
  type: z.enum(['text', 'note']).default('text'),
});
export const SendMessageBody = SendMessageFields.refine(hasContent, empty);
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** `PUT /api/attachments/:id?name=`: the raw bytes; the id is the client's, so a retry is one. */
export const UploadQuery = z.object({ name: FileName });
export type UploadQuery = z.infer<typeof UploadQuery>;
export const AttachmentReply = z.object({ attachment: Attachment });
export type AttachmentReply = z.infer<typeof AttachmentReply>;
/** `GET /api/attachments/:id/url`: where to fetch the bytes, until `expiresAt`. */
export const AttachmentUrlReply = z.object({ url: z.string(), expiresAt: Timestamp });
export type AttachmentUrlReply = z.infer<typeof AttachmentUrlReply>;
/** `GET /files/:id?expires=&signature=`: the signed download. */
export const FileQuery = z.object({
  expires: queryInt(0, Number.MAX_SAFE_INTEGER),
  signature: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
});
export type FileQuery = z.infer<typeof FileQuery>;
export const MessageReply = z.object({ message: Message });
export type MessageReply = z.infer<typeof MessageReply>;
export const ReadBody = z.object({ conversationId: Id, seq: Seq });
export type ReadBody = z.infer<typeof ReadBody>;

// --- visitors ---
export const VisitorSessionBody = z.object({
  /** A token from an earlier session: the same visitor is resumed if it is valid. */
  visitorToken: z.string().max(2000).optional(),
});
export type VisitorSessionBody = z.infer<typeof VisitorSessionBody>;
export const VisitorSessionReply = z.object({
  visitorToken: z.string(),
  visitor: Visitor,
  /** The visitor's conversation that is not closed yet, or the last one, if any. */
  conversation: VisitorConversation.nullable(),
  /** Whether an agent is online and accepting chats now. */
  agentsOnline: z.boolean(),
});
export type VisitorSessionReply = z.infer<typeof VisitorSessionReply>;
export const VisitorListQuery = z.object({
  online: queryBool.optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 100).default(50),
});
export type VisitorListQuery = z.infer<typeof VisitorListQuery>;
export const VisitorListReply = z.object({
  items: z.array(Visitor),
  nextCursor: z.string().nullable(),
});
export type VisitorListReply = z.infer<typeof VisitorListReply>;
export const VisitorReply = z.object({
  visitor: Visitor,
  pageViews: z.array(PageView),
  conversations: z.array(Conversation),
});
export type VisitorReply = z.infer<typeof VisitorReply>;
/**
 * The visitor's own details. `attributes`: the answers to the admin's pre-chat questions, by
 * field id, all of them at once (the server checks them against the questions asked).
 */
export const VisitorPatchBody = z
  .object({
    name: Name.optional(),
    email: Email.optional(),
    attributes: z
      .record(AttributeKey, safeText(500))
      .refine((a) => Object.keys(a).length <= 20, { message: 'At most 20 answers' })
      .optional(),
  })
  .refine((b) => b.name !== undefined || b.email !== undefined || b.attributes !== undefined, {
    message: 'Nothing to change',
  });
export type VisitorPatchBody = z.infer<typeof VisitorPatchBody>;
export const VisitorMeReply = z.object({ visitor: Visitor });
export type VisitorMeReply = z.infer<typeof VisitorMeReply>;

// --- analytics ---
const AnalyticsRange = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
const inOrder = (q: z.infer<typeof AnalyticsRange>) => !q.from || !q.to || q.from <= q.to;
export const AnalyticsQuery = AnalyticsRange.refine(inOrder, { message: '`from` is after `to`' });
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;
export const AnalyticsOverview = z.object({
  from: z.string(),
  to: z.string(),
  conversations: z.object({
    total: z.int(),
    open: z.int(),
    pending: z.int(),
    closed: z.int(),
    /** The visitor wrote, and the chat closed with no agent text after it. */
    missed: z.int(),
  }),
  messages: z.int(),
  /** From the visitor's first line to the first agent text after it (notes do not count). */
  medianFirstResponseSeconds: z.number().nullable(),
  /** From the chat's start to its close, over the closed ones. */
  medianResolutionSeconds: z.number().nullable(),
  rating: z.object({
    up: z.int(),
    down: z.int(),
    /** Share of thumbs up among rated conversations, 0..100; null with no rating. */
    satisfaction: z.number().nullable(),
  }),
});
export type AnalyticsOverview = z.infer<typeof AnalyticsOverview>;
export const AnalyticsTimeseries = z.object({
  days: z.array(
    z.object({ date: z.string(), conversations: z.int(), closed: z.int(), messages: z.int() }),
  ),
  /** Conversations started per hour of day (UTC), 0..23. */
  hours: z.array(z.object({ hour: z.int(), conversations: z.int() })),
});
export type AnalyticsTimeseries = z.infer<typeof AnalyticsTimeseries>;
export const AnalyticsAgents = z.object({
  agents: z.array(
    z.object({
      agentId: Id,
      name: z.string(),
      conversations: z.int(),
      closed: z.int(),
      messages: z.int(),
      medianFirstResponseSeconds: z.number().nullable(),
      ratingUp: z.int(),
      ratingDown: z.int(),
    }),
  ),
});
export type AnalyticsAgents = z.infer<typeof AnalyticsAgents>;
/** `GET /api/analytics/ratings`: ratings given in the range, newest first, paged by cursor. */
export const RatingsQuery = AnalyticsRange.extend({
  rating: Rating.optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 100).default(20),
}).refine(inOrder, { message: '`from` is after `to`' });
export type RatingsQuery = z.infer<typeof RatingsQuery>;
export const RatingsReply = z.object({
  items: z.array(
    z.object({
      conversationId: Id,
      rating: Rating,
      comment: z.string().nullable(),
      ratedAt: Timestamp,
      visitor: Visitor.pick({ id: true, name: true, email: true }),
      assignee: z.object({ id: Id, name: z.string() }).nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type RatingsReply = z.infer<typeof RatingsReply>;

// --- canned responses ---
export const Shortcut = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_-]+$/, 'Lowercase letters, digits, - and _');
export const CannedResponseBody = z.object({
  title: safeText(100).pipe(z.string().min(1)),
  content: MessageContent,
  shortcut: Shortcut,
  category: safeText(60).nullable().optional(),
});
export type CannedResponseBody = z.infer<typeof CannedResponseBody>;
export const CannedResponsePatchBody = CannedResponseBody.partial().refine(
  (b) => Object.keys(b).length > 0,
  { message: 'Nothing to change' },
);
export type CannedResponsePatchBody = z.infer<typeof CannedResponsePatchBody>;
export const CannedResponseListReply = z.object({ items: z.array(CannedResponse) });
export type CannedResponseListReply = z.infer<typeof CannedResponseListReply>;
export const CannedResponseReply = z.object({ cannedResponse: CannedResponse });
export type CannedResponseReply = z.infer<typeof CannedResponseReply>;

// --- users (admin) ---
export const MAX_CAPACITY = 100;
export const CreateUserBody = z.object({
  name: Name,
  email: Email,
  password: Password,
  role: Role.default('agent'),
  capacity: z.int().min(0).max(MAX_CAPACITY).default(5),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;
export const UserPatchBody = z
  .object({
    name: Name.optional(),
    role: Role.optional(),
    capacity: z.int().min(0).max(MAX_CAPACITY).optional(),
    /** false deactivates: sessions end and sockets are disconnected. */
    active: z.boolean().optional(),
    status: AgentStatus.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UserPatchBody = z.infer<typeof UserPatchBody>;
export const UserListReply = z.object({ items: z.array(User) });
export type UserListReply = z.infer<typeof UserListReply>;
export const UserReply = z.object({ user: User });
export type UserReply = z.infer<typeof UserReply>;

// --- dashboard additions (issue 4) ---
/** `GET /api/auth/setup`: whether no account exists yet, so the dashboard offers first-run set-up. */
export const SetupReply = z.object({
  needsSetup: z.boolean(),
  /** Email is on: "Forgot password" can send a reset link. */
  passwordReset: z.boolean(),
});
export type SetupReply = z.infer<typeof SetupReply>;
/** `PATCH /api/auth/me`: the signed-in agent edits their own profile. */
export const ProfilePatchBody = z
  .object({
    name: Name.optional(),
    /** Email me when a conversation waits with nobody to answer it. */
    emailAlerts: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type ProfilePatchBody = z.infer<typeof ProfilePatchBody>;
/** `POST /api/auth/password`: ends every session of the agent and signs this one in again. */
export const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: Password,
});
export type PasswordChangeBody = z.infer<typeof PasswordChangeBody>;
/**
 * `POST /api/auth/password-reset`: emails a single-use reset link if the address has an account.
 * 202 whether it has or not, so the answer tells nobody which addresses exist.
 */
export const PasswordResetRequestBody = z.object({ email: Email });
export type PasswordResetRequestBody = z.infer<typeof PasswordResetRequestBody>;
/**
 * `POST /api/auth/password-reset/confirm`: sets the new password with the link's token (once,
 * before it expires) and ends every session of the account. 204.
 */
export const PasswordResetBody = z.object({
  token: z.string().min(1).max(200),
  password: Password,
});
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;
/**
 * `POST /api/auth/password-reset/check`: whether a reset link's token would still set a password,
 * without using it, so the page says at once that a link was used or has expired. The token
 * travels in the body (never the address, which logs keep). A wrong token, a used one and an
 * expired one get the same answer, `valid: false`: it tells nothing of why.
 */
export const PasswordResetCheckBody = PasswordResetBody.pick({ token: true });
export type PasswordResetCheckBody = z.infer<typeof PasswordResetCheckBody>;
export const PasswordResetCheckReply = z.object({ valid: z.boolean() });
export type PasswordResetCheckReply = z.infer<typeof PasswordResetCheckReply>;
/**
 * `POST /api/visitors/:id/conversations`: an agent starts a chat with a browsing visitor with a
 * first message of their own (the widget already shows its greeting); the agent becomes the
 * assignee.
 */
export const StartVisitorChatBody = z.object({
  content: MessageContent,
  clientId: ClientId,
});
export type StartVisitorChatBody = z.infer<typeof StartVisitorChatBody>;

// --- email and background jobs ---
/** `GET /api/settings/email`: whether Parley can send email (SMTP_URL and MAIL_FROM are set). */
export const EmailSettingsReply = z.object({
  enabled: z.boolean(),
  /** The sender address, when enabled. */
  from: z.string().nullable(),
  /** Replies by email come back: the domain of the reply addresses (INBOUND_EMAIL_DOMAIN). */
  inboundDomain: z.string().nullable(),
  /** How long an agent's reply waits unseen before it is emailed to the visitor. */
  unseenDelaySeconds: z.int(),
  /** How long a conversation waits in the queue before the team is emailed about it. */
  waitingAlertSeconds: z.int(),
});
export type EmailSettingsReply = z.infer<typeof EmailSettingsReply>;
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
});
export type TranscriptBody = z.infer<typeof TranscriptBody>;
export const TranscriptReply = z.object({
  to: z.string(),
  /** Nothing is sent yet: a code went to `to`, and the transcript follows when it is given. */
  codeSent: z.boolean().optional(),
});
export type TranscriptReply = z.infer<typeof TranscriptReply>;
export const JobStatus = z.enum(['queued', 'running', 'done', 'failed']);
/** A piece of background work (an email to send), as admins see it. */
export const Job = z.object({
  id: Id,
  kind: z.string(),
  status: JobStatus,
  attempts: z.int(),
  maxAttempts: z.int(),
  /** Queued: when it runs next. */
  runAt: Timestamp,
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type Job = z.infer<typeof Job>;
export const JobReply = z.object({ job: Job });
export type JobReply = z.infer<typeof JobReply>;
export const JobListQuery = z.object({
  status: JobStatus.optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 100).default(30),
});
export type JobListQuery = z.infer<typeof JobListQuery>;
export const JobListReply = z.object({ items: z.array(Job), nextCursor: z.string().nullable() });
export type JobListReply = z.infer<typeof JobListReply>;
