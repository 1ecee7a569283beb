import { z } from 'zod';
import { Conversation, Message, Visitor } from './entities.js';
import { Id, Timestamp, WebUrl } from './primitives.js';
import { webhookEventTypes } from './limits.js';

// --- webhooks: signed HTTP deliveries of domain events to an admin's endpoints (docs/webhooks.md)

export { webhookEventTypes };
export const WebhookEventType = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** What a delivery carries: a subscribed event, or `ping` ("Send test event", never subscribed). */
export const WebhookDeliveryEventType = z.enum([...webhookEventTypes, 'ping']);
export type WebhookDeliveryEventType = z.infer<typeof WebhookDeliveryEventType>;

/** What each event's `data` holds: the entities as the rest of the API describes them. */
export const webhookEventData = {
  'conversation.created': z.object({ conversation: Conversation, visitor: Visitor }),
  /** Routing, "assign to me" or a transfer gave it to `assignee`. */
  'conversation.assigned': z.object({
    conversation: Conversation,
    assignee: z.object({ id: Id, name: z.string() }),
  }),
  'conversation.closed': z.object({ conversation: Conversation }),
  /** Every stored message: the visitor's, agents' (notes too: `type: "note"`) and system lines. */
  'message.created': z.object({
    message: Message,
    /** The conversation's website and team (as conversation events carry them). */
    siteId: Id,
    teamId: Id.nullable(),
  }),
  /** The visitor rated the conversation: `conversation.rating` and `ratingComment`. */
  'rating.given': z.object({ conversation: Conversation }),
  /** The visitor's record changed: details, attributes, the page they are on, online or not. */
  'visitor.updated': z.object({ visitor: Visitor }),
  /** A person's data was erased (the visitor record named, and everything of theirs). */
  'contact.erased': z.object({ visitorId: Id, siteId: Id, erasedAt: Timestamp }),
  ping: z.object({ endpoint: z.object({ id: Id, url: z.string() }) }),
} satisfies Record<WebhookDeliveryEventType, z.ZodType>;
export type WebhookEventData<T extends WebhookDeliveryEventType> = z.infer<
  (typeof webhookEventData)[T]
>;

const envelope = <T extends WebhookDeliveryEventType>(type: T) =>
  z.object({
    /** The event's id, the same in every delivery and retry of it: de-duplicate by it. */
    id: Id,
    type: z.literal(type),
    createdAt: Timestamp,
    data: webhookEventData[type],
  });

/**
 * The JSON body of every webhook request. Its headers: `Parley-Signature: t=<unix seconds>,
 * v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the endpoint's secret>`, `Parley-Event-Id`,
 * `Parley-Event-Type`.
 */
export const WebhookEvent = z.discriminatedUnion('type', [
  envelope('conversation.created'),
  envelope('conversation.assigned'),
  envelope('conversation.closed'),
  envelope('message.created'),
  envelope('rating.given'),
  envelope('visitor.updated'),
  envelope('contact.erased'),
  envelope('ping'),
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/**
 * Where webhooks go: http(s) only, no user name or password in it. The server also refuses
 * private, loopback and link-local addresses (unless WEBHOOKS_ALLOW_PRIVATE), at save and at
 * each delivery.
 */
export const WebhookUrl = WebUrl.refine(
  (s) => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(s),
  'No user name or password in the URL: verify the signature instead',
);

/** An endpoint as admins see it; its secret is read apart (`GET /api/webhooks/:id/secret`). */
export const WebhookEndpoint = z.object({
  id: Id,
  url: z.string(),
  description: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  /** Set when Parley turned it off (deliveries failed for a day); null when an admin did. */
  disabledReason: z.string().nullable(),
  /** Since when deliveries fail without a success; null while it works. */
  failingSince: Timestamp.nullable(),
  createdBy: Id.nullable(),
  createdAt: Timestamp,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

/** One event for one endpoint, with how its sending went: the delivery log. */
export const WebhookDelivery = z.object({
  id: Id,
  endpointId: Id,
  eventId: Id,
  eventType: WebhookDeliveryEventType,
  conversationId: Id.nullable(),
  status: WebhookDeliveryStatus,
  /**
   * Attempts made so far, in all: a "Retry now" goes on counting (and gives the delivery a new
   * round of retries). The delivery's detail lists them.
   */
  attempts: z.int(),
  /** The receiver's last HTTP status; null when none came (refused, timed out). */
  responseStatus: z.int().nullable(),
  latencyMs: z.int().nullable(),
  /** Why the last attempt failed, with the start of the receiver's answer. */
  error: z.string().nullable(),
  /** Pending: when it is tried again (null: as soon as the earlier ones of its conversation). */
  nextAttemptAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
  createdAt: Timestamp,
  /** An admin's resend: the delivery it sends again (same event id and body, signed afresh). */
  resendOf: Id.nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** One attempt at a delivery: one request, and how it went. */
export const WebhookDeliveryAttempt = z.object({
  /** Its number within the delivery, from 1; a "Retry now" goes on counting. */
  n: z.int(),
  /**
   * When it was sent; null for an attempt made before Parley kept each attempt (a delivery of
   * that time kept its last attempt only, as the last of its numbers).
   */
  at: Timestamp.nullable(),
  /** The receiver's HTTP status; null when none came (refused, timed out, address refused). */
  responseStatus: z.int().nullable(),
  latencyMs: z.int(),
  /** Why it failed, without the answer: `HTTP 500`, `No answer within 10000 ms`; null if 2xx. */
  error: z.string().nullable(),
  /** The start of the receiver's answer, as the log keeps it (one line, at most 300 characters). */
  answer: z.string().nullable(),
});
export type WebhookDeliveryAttempt = z.infer<typeof WebhookDeliveryAttempt>;
