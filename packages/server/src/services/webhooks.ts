import {
  WebhookDeliveryEventType,
  webhookEventTypes,
  type WebhookDelivery,
  type WebhookDeliveryListQuery,
  type WebhookDeliveryListReply,
  type WebhookDeliveryReply,
  type WebhookEndpoint,
  type WebhookEndpointBody,
  type WebhookEndpointCreatedReply,
  type WebhookEndpointListReply,
  type WebhookEndpointPatch,
  type WebhookEndpointReply,
  type WebhookEventType,
  type WebhookSecretReply,
} from '@parley/protocol';
import {
  deleteEndpoint,
  failPendingDeliveries,
  findDelivery,
  findEndpoint,
  insertDeliveries,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  requeueFailedDelivery,
  updateEndpoint,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../db/webhooks.js';
import { isUniqueViolation } from '../db/errors.js';
import { uuid7 } from '../db/uuid7.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { webhookUrlRefusal } from '../webhooks/address-guard.js';
import { newWebhookSecret } from '../webhooks/sign.js';
import { requireSignedInAdmin, type AgentActor } from './actor.js';
import { changeOf, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';
import { decodeCursor, pageOf } from './cursor.js';
import { ENDPOINT_OFF, enqueueDelivery, forgetSubscriptions } from './webhook-deliveries.js';

/** Endpoints a workspace may have: each event is one request to each of them. */
export const MAX_ENDPOINTS = 20;

const isEventType = (t: string): t is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(t);

const toEndpoint = (r: WebhookEndpointRow): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events.filter(isEventType),
  enabled: r.enabled,
  disabledReason: r.disabledReason,
  failingSince: r.failingSince?.toISOString() ?? null,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
});

export const toDelivery = (r: WebhookDeliveryRow): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpointId,
  eventId: r.eventId,
  eventType: WebhookDeliveryEventType.parse(r.eventType),
  conversationId: r.conversationId,
  status: r.status,
  attempts: r.attempts,
  responseStatus: r.responseStatus,
  latencyMs: r.latencyMs,
  error: r.error,
  nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  resendOf: r.resendOf,
});

export async function endpointRow(ctx: Context, id: string): Promise<WebhookEndpointRow> {
  const row = await findEndpoint(ctx.db, id);
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

/** A URL that may not receive webhooks is refused with the reason, as a field error. */
async function checkUrl(ctx: Context, url: string): Promise<void> {
  const refusal = await webhookUrlRefusal(url, ctx.config.webhooks.allowPrivate);
  if (refusal) throw badRequest(refusal, [{ path: 'url', message: refusal }]);
}

export async function listWebhookEndpoints(ctx: Context): Promise<WebhookEndpointListReply> {
  return {
    items: (await listEndpoints(ctx.db)).map(toEndpoint),
    privateAddressesAllowed: ctx.config.webhooks.allowPrivate,
  };
}

export async function getWebhookEndpoint(ctx: Context, id: string): Promise<WebhookEndpointReply> {
  return { endpoint: toEndpoint(await endpointRow(ctx, id)) };
}

/** An admin adds an endpoint; its signing secret is made here and shown once in the reply. */
export async function createWebhookEndpoint(
  ctx: Context,
  actor: AgentActor,
  body: WebhookEndpointBody,
  origin: RequestOrigin,
): Promise<WebhookEndpointCreatedReply> {
  if ((await listEndpoints(ctx.db)).length >= MAX_ENDPOINTS) {
    throw conflict(`At most ${MAX_ENDPOINTS} webhook endpoints`);
  }
  await checkUrl(ctx, body.url);
  const secret = newWebhookSecret();
  const row = await insertEndpoint(ctx.db, { ...body, secret, createdBy: actor.id });
  forgetSubscriptions(ctx);
  const endpoint = toEndpoint(row);
  await recordAudit(ctx, actor, origin, 'webhook.created', row.id, { after: endpoint });
  return { endpoint, secret };
}

/**
 * Changes what is given. Turning an endpoint off fails its pending deliveries (they can be
 * retried later); turning it on again clears what Parley noted of its failures.
 */
export async function patchWebhookEndpoint(
  ctx: Context,
  actor: AgentActor,
  id: string,
  patch: WebhookEndpointPatch,
  origin: RequestOrigin,
): Promise<WebhookEndpointReply> {
  const before = await endpointRow(ctx, id);
  if (patch.url !== undefined && patch.url !== before.url) await checkUrl(ctx, patch.url);
  const switching = patch.enabled !== undefined && patch.enabled !== before.enabled;
  const row = await updateEndpoint(ctx.db, id, {
    ...patch,
    ...(switching ? { disabledReason: null, failingSince: null } : {}),
  });
  if (!row) throw notFound('Webhook endpoint');
  forgetSubscriptions(ctx);
  if (switching && !row.enabled) await failPendingDeliveries(ctx.db, id, ENDPOINT_OFF);
  const endpoint = toEndpoint(row);
  const change = changeOf(toEndpoint(before), endpoint);
  if (Object.keys(change.after).length > 0) {
    await recordAudit(ctx, actor, origin, 'webhook.changed', id, change);
  }
  return { endpoint };
}

export async function deleteWebhookEndpoint(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  const before = await endpointRow(ctx, id);
  if (!(await deleteEndpoint(ctx.db, id))) throw notFound('Webhook endpoint');
  forgetSubscriptions(ctx);
  // The endpoint's URL is kept in the record: there is nothing left to look its name up in.
  await recordAudit(ctx, actor, origin, 'webhook.deleted', id, { before: toEndpoint(before) });
}

/** The signing secret: to an admin signed in to the dashboard only, and recorded. */
export async function revealWebhookSecret(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<WebhookSecretReply> {
  requireSignedInAdmin(actor);
  const { secret } = await endpointRow(ctx, id);
  await recordAudit(ctx, actor, origin, 'webhook_secret.revealed', id);
  return { secret };
}

/**
 * A new secret at once: deliveries from now on are signed with it, none with the old one. Its
 * reply is the secret, so it too is for a signed-in admin only.
 */
export async function rotateWebhookSecret(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<WebhookSecretReply> {
  requireSignedInAdmin(actor);
  const row = await updateEndpoint(ctx.db, id, { secret: newWebhookSecret() });
  if (!row) throw notFound('Webhook endpoint');
  await recordAudit(ctx, actor, origin, 'webhook_secret.rotated', id);
  return { secret: row.secret };
}

/** The delivery log of an endpoint, newest first. */
export async function listWebhookDeliveries(
  ctx: Context,
  endpointId: string,
  query: WebhookDeliveryListQuery,
): Promise<WebhookDeliveryListReply> {
  await endpointRow(ctx, endpointId);
  const rows = await listDeliveries(ctx.db, endpointId, {
    status: query.status,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  return { items: page.map(toDelivery), nextCursor };
}

/** "Send test event": a `ping`, through the same queue, signing and log as any event. */
export async function sendTestWebhook(ctx: Context, id: string): Promise<WebhookDeliveryReply> {
  const endpoint = await endpointRow(ctx, id);
  const at = new Date();
  const [row] = await ctx.db.transaction(async (tx) => {
    const rows = await insertDeliveries(
      tx,
      {
        eventId: uuid7(at.getTime()),
        eventType: 'ping',
        conversationId: null,
        createdAt: at,
        payload: { endpoint: { id: endpoint.id, url: endpoint.url } },
      },
      [endpoint.id],
    );
    for (const r of rows) await enqueueDelivery(ctx, r.id, { tx });
    return rows;
  });
  if (!row) throw new Error('Delivery insert returned nothing');
  ctx.jobs.wake();
  return { delivery: toDelivery(row) };
}

/** "Retry now": a failed delivery is sent again at once, with a fresh set of attempts. */
export async function retryWebhookDelivery(
  ctx: Context,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryReply> {
  const endpoint = await endpointRow(ctx, endpointId);
  const before = await findDelivery(ctx.db, deliveryId);
  if (before?.endpointId !== endpointId) throw notFound('Delivery');
  if (!endpoint.enabled && before.eventType !== 'ping') {
    throw conflict('Turn the endpoint on first');
  }
  const row = await requeueFailedDelivery(ctx.db, endpointId, deliveryId).catch(
    (error: unknown) => {
      // One delivery of an event may be pending per endpoint: a resend of it is on its way.
      if (isUniqueViolation(error)) throw conflict('This event is being sent already');
      throw error;
    },
  );
  if (!row) throw conflict('Only a failed delivery can be retried');
  await enqueueDelivery(ctx, row.id);
  ctx.jobs.wake();
  return { delivery: toDelivery(row) };
}
