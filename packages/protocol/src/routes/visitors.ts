/**
 * Visitor sessions (the widget) and the visitors agents see: `/api/visitors/*`.
 */
import { z } from 'zod';
import { Conversation, PageView, Visitor, VisitorConversation } from '../entities.js';
import { ExternalId, IdentityHash, MAX_ATTRIBUTE_LENGTH } from '../identity.js';
import { ClientId, Email, Id, MessageContent, Name, safeText } from '../primitives.js';
import { ConversationReply, IdParams } from '../rest.js';
import { AttributeKey, SiteKey } from '../settings.js';
import { Cursor, queryBool, queryInt } from './query.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

export const VisitorSessionBody = z.object({
  /** A token from an earlier session: the same visitor is resumed if it is valid. */
  visitorToken: z.string().max(2000).optional(),
  /**
   * The site's key from the snippet; without one, the default site. A token of another site's
   * visitor is not resumed: this site gets a visitor of its own.
   */
  site: SiteKey.optional(),
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
  /** The visitors of one website. */
  siteId: Id.optional(),
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

/**
 * `POST /api/visitors/me/identity`: who the site says this visitor is (`LiveChatWidget.setUser`).
 * With a `hash` that verifies, this browser becomes the visitor of that id, with its history on
 * every device; without one, `name` and `email` are this anonymous visitor's contact details and
 * `id` reaches nothing. Unknown keys are refused, so a misspelt `hash` is not silently ignored.
 */
export const IdentifyBody = z
  .strictObject({
    id: ExternalId,
    hash: IdentityHash.optional(),
    issuedAt: z
      .int()
      .min(0)
      .max(2 ** 40)
      .optional(),
    name: Name.optional(),
    email: Email.optional(),
  })
  .refine((b) => b.issuedAt === undefined || b.hash !== undefined, {
    message: 'issuedAt is signed with the id: it needs a hash',
    path: ['issuedAt'],
  });
export type IdentifyBody = z.infer<typeof IdentifyBody>;

/**
 * `PATCH /api/visitors/me/attributes` (`LiveChatWidget.setCustomAttributes`): what the site
 * tells about the visitor, kept beside the pre-chat answers. A number or a boolean is kept as
 * its text; null removes the key. What a page says is not verified: agents see it as said.
 */
export const CustomAttributesBody = z.strictObject({
  attributes: z
    .record(
      AttributeKey,
      z
        .union([safeText(MAX_ATTRIBUTE_LENGTH), z.number(), z.boolean(), z.null()])
        .transform((v) => (v === null ? null : String(v))),
    )
    .refine((a) => Object.keys(a).length > 0, { message: 'Nothing to set' })
    .refine((a) => Object.keys(a).length <= 20, { message: 'At most 20 attributes at once' }),
});
export type CustomAttributesBody = z.infer<typeof CustomAttributesBody>;

const tag = 'Visitors';

export const visitorRoutes = {
  startVisitorSession: {
    ...at.startVisitorSession,
    tag,
    summary: 'Start or resume a visitor session (the widget calls it)',
    auth: 'none',
    body: VisitorSessionBody,
    optionalBody: true,
    responses: { 201: VisitorSessionReply },
    // 403 `banned`: the visitor, or the address the request comes from, is banned.
    errors: [403, 429],
  },
  updateVisitorMe: {
    ...at.updateVisitorMe,
    tag,
    summary: "The visitor's own name, email and pre-chat answers",
    auth: 'visitor',
    body: VisitorPatchBody,
    responses: { 200: VisitorMeReply },
    errors: [404, 429],
  },
  claimVisitorIdentity: {
    ...at.claimVisitorIdentity,
    tag,
    summary: "Who the site says the visitor is (the widget's setUser)",
    description:
      "With a hash that verifies (HMAC-SHA256 of the id with the identity secret), the session of that person's verified visitor, with their history on every device; without one, name and email are this visitor's contact details. A bad hash is refused with one 403, whoever the id is.",
    auth: 'visitor',
    body: IdentifyBody,
    responses: { 200: VisitorSessionReply },
    errors: [403, 404, 429],
  },
  setVisitorAttributes: {
    ...at.setVisitorAttributes,
    tag,
    summary: "The site's attributes of the visitor (the widget's setCustomAttributes)",
    auth: 'visitor',
    body: CustomAttributesBody,
    responses: { 200: VisitorMeReply },
    errors: [404, 429],
  },
  listVisitors: {
    ...at.listVisitors,
    tag,
    summary: 'List visitors, most recently seen first',
    auth: 'agent',
    query: VisitorListQuery,
    responses: { 200: VisitorListReply },
  },
  getVisitor: {
    ...at.getVisitor,
    tag,
    summary: 'A visitor with their page views and conversations',
    auth: 'agent',
    params: IdParams,
    responses: { 200: VisitorReply },
    errors: [404],
  },
  startChatWithVisitor: {
    ...at.startChatWithVisitor,
    tag,
    summary: 'Start a chat with a browsing visitor',
    description:
      'The agent becomes the assignee. 201 when a chat was opened; 200 when the visitor already has one: the message is added to it (whoever holds it), once per clientId.',
    auth: 'agent',
    params: IdParams,
    body: StartVisitorChatBody,
    responses: { 200: ConversationReply, 201: ConversationReply },
    errors: [404, 409],
  },
} as const satisfies RouteEntries;
