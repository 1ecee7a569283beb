import {
  type WebhookDeliveryAttempt,
  type WebhookDeliveryDetailReply,
  type WebhookDeliveryReply,
} from '@parley/protocol';
import {
  findDelivery,
  findPendingOfEvent,
  insertResend,
  listAttempts,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../db/webhooks.js';
import { conflict, notFound } from '../errors.js';
import type { Context } from '../context.js';
import { enqueueDelivery, webhookBodyOf } from './webhook-deliveries.js';
import { endpointRow, toDelivery } from './webhooks.js';

const toAttempt = (a: WebhookAttemptRow): WebhookDeliveryAttempt => ({
  n: a.n,
  at: a.sentAt?.toISOString() ?? null,
  responseStatus: a.responseStatus,
  latencyMs: a.latencyMs,
  error: a.error,
  answer: a.answer,
});

/** A delivery of the endpoint's log, with its endpoint; another endpoint's is not found. */
async function deliveryOf(
  ctx: Context,
  endpointId: string,
  deliveryId: string,
): Promise<{ endpoint: WebhookEndpointRow; delivery: WebhookDeliveryRow }> {
  const endpoint = await endpointRow(ctx, endpointId);
  const delivery = await findDelivery(ctx.db, deliveryId);
  if (delivery?.endpointId !== endpointId) throw notFound('Delivery');
  return { endpoint, delivery };
}

/** One delivery of the log, opened: every attempt at it, and the body it sends. */
export async function getWebhookDelivery(
  ctx: Context,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryDetailReply> {
  const { delivery } = await deliveryOf(ctx, endpointId, deliveryId);
  const attempts = await listAttempts(ctx.db, delivery.id);
  return {
    delivery: toDelivery(delivery),
    attempts: attempts.map(toAttempt),
    body: webhookBodyOf(delivery),
  };
}

/**
 * "Resend": a delivered event goes to the endpoint again, as a new delivery of the same event id
 * and body (signed afresh when sent), with the attempts and place in its conversation's order of
 * any new delivery. While a delivery of the event to the endpoint is pending, that one is the
 * answer (`created: false`): asking again, or twice at once, sends the event once more, not
 * once per request. A turned-off endpoint is sent nothing, a test event included: it is refused.
 */
export async function resendWebhookDelivery(
  ctx: Context,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryReply & { created: boolean }> {
  const { endpoint, delivery: original } = await deliveryOf(ctx, endpointId, deliveryId);
  if (!endpoint.enabled) {
    throw conflict('This endpoint is turned off: turn it on to resend events to it');
  }
  if (original.status !== 'delivered') {
    throw conflict('Only a delivered event can be resent: retry a failed one');
  }
  // The pending one may be delivered between the insert that found it and the read: then the
  // insert goes through on the next turn.
  for (let turn = 0; turn < 3; turn++) {
    const outcome = await ctx.db.transaction(async (tx) => {
      const resent = await insertResend(tx, original);
      if (resent) {
        await enqueueDelivery(ctx, resent.id, { tx });
        return { row: resent, created: true };
      }
      const pending = await findPendingOfEvent(tx, endpointId, original.eventId);
      return pending ? { row: pending, created: false } : null;
    });
    if (!outcome) continue;
    if (outcome.created) ctx.jobs.wake();
    return { delivery: toDelivery(outcome.row), created: outcome.created };
  }
  throw conflict('The event is being sent right now: try again');
}
