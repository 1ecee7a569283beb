/**
 * Admins' webhook endpoints and their delivery logs: `/api/webhooks/*`. The events and what
 * endpoints and deliveries are stay in webhooks.ts; the routes' requests and replies are here.
 */
import { z } from 'zod';
import { Id, safeText } from '../primitives.js';
import { IdParams } from '../rest.js';
import {
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEventType,
  webhookEventTypes,
  WebhookUrl,
} from '../webhooks.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

const WebhookEvents = z
  .array(WebhookEventType)
  .min(1, 'Choose at least one event')
  .max(webhookEventTypes.length * 2)
  .transform((events) => webhookEventTypes.filter((t) => events.includes(t)));

/** `POST /api/webhooks` (admins). */
export const WebhookEndpointBody = z.object({
  url: WebhookUrl,
  description: safeText(200).default(''),
  events: WebhookEvents,
  enabled: z.boolean().default(true),
});
export type WebhookEndpointBody = z.infer<typeof WebhookEndpointBody>;

/** `PATCH /api/webhooks/:id`: what is given changes. Enabling again clears the failure state. */
export const WebhookEndpointPatch = z.object({
  url: WebhookUrl.optional(),
  description: safeText(200).optional(),
  events: WebhookEvents.optional(),
  enabled: z.boolean().optional(),
});
export type WebhookEndpointPatch = z.infer<typeof WebhookEndpointPatch>;

export const WebhookEndpointReply = z.object({ endpoint: WebhookEndpoint });
export type WebhookEndpointReply = z.infer<typeof WebhookEndpointReply>;
export const WebhookEndpointListReply = z.object({
  items: z.array(WebhookEndpoint),
  /**
   * WEBHOOKS_ALLOW_PRIVATE: endpoints may be on private, loopback and link-local addresses too.
   * False: only public addresses are accepted, at save and at every delivery.
   */
  privateAddressesAllowed: z.boolean(),
});
export type WebhookEndpointListReply = z.infer<typeof WebhookEndpointListReply>;
/** `POST /api/webhooks` answers 201 with the secret, to give to the receiver. */
export const WebhookEndpointCreatedReply = z.object({
  endpoint: WebhookEndpoint,
  secret: z.string(),
});
export type WebhookEndpointCreatedReply = z.infer<typeof WebhookEndpointCreatedReply>;
/** `GET /api/webhooks/:id/secret` and `POST /api/webhooks/:id/rotate-secret`. */
export const WebhookSecretReply = z.object({ secret: z.string() });
export type WebhookSecretReply = z.infer<typeof WebhookSecretReply>;

/**
 * `GET /api/webhooks/:id/deliveries/:deliveryId`: the delivery, every attempt at it (oldest
 * first), and what each of its requests sends.
 */
export const WebhookDeliveryDetailReply = z.object({
  delivery: WebhookDelivery,
  attempts: z.array(WebhookDeliveryAttempt),
  /**
   * The event as sent: the JSON body of every request of this delivery, byte for byte what was
   * signed (a `WebhookEvent`, as it stood when the event happened); each attempt's signature is
   * made at its own time and not kept.
   */
  body: z.string(),
});
export type WebhookDeliveryDetailReply = z.infer<typeof WebhookDeliveryDetailReply>;

export const WebhookDeliveryReply = z.object({ delivery: WebhookDelivery });
export type WebhookDeliveryReply = z.infer<typeof WebhookDeliveryReply>;

/** `GET /api/webhooks/:id/deliveries?status=&cursor=&limit=`: newest first. */
export const WebhookDeliveryListQuery = z.object({
  status: WebhookDeliveryStatus.optional(),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuery>;
export const WebhookDeliveryListReply = z.object({
  items: z.array(WebhookDelivery),
  nextCursor: z.string().nullable(),
});
export type WebhookDeliveryListReply = z.infer<typeof WebhookDeliveryListReply>;

/** `:id/deliveries/:deliveryId` in a route. */
export const WebhookDeliveryParams = z.object({ id: Id, deliveryId: Id });

const tag = 'Webhooks';

export const webhookRoutes = {
  listWebhookEndpoints: {
    ...at.listWebhookEndpoints,
    tag,
    summary: 'All webhook endpoints',
    auth: 'admin',
    responses: { 200: WebhookEndpointListReply },
  },
  createWebhookEndpoint: {
    ...at.createWebhookEndpoint,
    tag,
    summary: 'Add an endpoint; the reply carries its signing secret',
    auth: 'admin',
    body: WebhookEndpointBody,
    responses: { 201: WebhookEndpointCreatedReply },
    errors: [409],
  },
  getWebhookEndpoint: {
    ...at.getWebhookEndpoint,
    tag,
    summary: 'One endpoint',
    auth: 'admin',
    params: IdParams,
    responses: { 200: WebhookEndpointReply },
    errors: [404],
  },
  updateWebhookEndpoint: {
    ...at.updateWebhookEndpoint,
    tag,
    summary: "Change an endpoint's URL, events, or turn it on or off",
    auth: 'admin',
    params: IdParams,
    body: WebhookEndpointPatch,
    responses: { 200: WebhookEndpointReply },
    errors: [404],
  },
  deleteWebhookEndpoint: {
    ...at.deleteWebhookEndpoint,
    tag,
    summary: 'Delete an endpoint and its delivery log',
    auth: 'admin',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
  getWebhookSecret: {
    ...at.getWebhookSecret,
    tag,
    summary:
      "An endpoint's signing secret: to an admin signed in to the dashboard, never a token; recorded",
    auth: 'admin',
    revealsSecret: true,
    params: IdParams,
    responses: { 200: WebhookSecretReply },
    errors: [403, 404],
  },
  rotateWebhookSecret: {
    ...at.rotateWebhookSecret,
    tag,
    summary: 'Replace the signing secret; the old one stops at once (signed-in admins, not tokens)',
    auth: 'admin',
    params: IdParams,
    responses: { 200: WebhookSecretReply },
    errors: [403, 404],
  },
  sendTestWebhook: {
    ...at.sendTestWebhook,
    tag,
    summary: 'Send a `ping` delivery to the endpoint',
    auth: 'admin',
    params: IdParams,
    responses: { 202: WebhookDeliveryReply },
    errors: [404],
  },
  listWebhookDeliveries: {
    ...at.listWebhookDeliveries,
    tag,
    summary: "An endpoint's deliveries, newest first",
    auth: 'admin',
    params: IdParams,
    query: WebhookDeliveryListQuery,
    responses: { 200: WebhookDeliveryListReply },
    errors: [404],
  },
  getWebhookDelivery: {
    ...at.getWebhookDelivery,
    tag,
    summary: 'One delivery: each of its attempts, and the event it sends',
    auth: 'admin',
    params: WebhookDeliveryParams,
    responses: { 200: WebhookDeliveryDetailReply },
    errors: [404],
  },
  retryWebhookDelivery: {
    ...at.retryWebhookDelivery,
    tag,
    summary: 'Send a failed delivery again',
    auth: 'admin',
    params: WebhookDeliveryParams,
    responses: { 200: WebhookDeliveryReply },
    errors: [404, 409],
  },
  resendWebhookDelivery: {
    ...at.resendWebhookDelivery,
    tag,
    summary: 'Send a delivered event again, as a new delivery of the same event',
    description:
      '202 with the new delivery: the same event id and body, signed afresh, in the log. While a delivery of the event to this endpoint is pending, 200 with that one instead: asking again adds none.',
    auth: 'admin',
    params: WebhookDeliveryParams,
    responses: { 200: WebhookDeliveryReply, 202: WebhookDeliveryReply },
    errors: [404, 409],
  },
} as const satisfies RouteEntries;
