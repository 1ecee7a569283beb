import type { WebhookDeliveryEventType } from '@parley/protocol';
import type { Tx } from '../db/client.js';
import {
  claimDelivery,
  deliveryWait,
  disableFailingEndpoint,
  failPendingDeliveries,
  findDelivery,
  findEndpoint,
  insertDeliveries,
  listEnabledEndpoints,
  markEndpointFailing,
  markEndpointHealthy,
  nextPendingOf,
  recordAttempt,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../db/webhooks.js';
import { outcomeSummary, postWebhook } from '../webhooks/deliver.js';
import { webhookSignature } from '../webhooks/sign.js';
import type { Context } from '../context.js';
import { notifyEndpointDisabled } from './webhook-notify.js';

/** An endpoint failing this long without a success is turned off at its next failure. */
export const FAILING_FOR_MS = 24 * 60 * 60_000;
/** A claimed delivery is someone's for the request's timeout and this much more. */
const LEASE_MARGIN_MS = 60_000;
export const ENDPOINT_OFF = 'Not sent: the endpoint is turned off';

/** How a kind of delivery is retried: declared beside its job (jobs/deliver-webhook.ts). */
export type RetryPolicy = {
  maxAttempts(eventType: string): number;
  /** The wait after the `attempts`-th failed attempt. */
  retryDelayMs(attempts: number): number;
};

export type WebhookEventRecord = {
  eventId: string;
  eventType: WebhookDeliveryEventType;
  conversationId: string | null;
  createdAt: Date;
};

/**
 * How long an instance trusts the endpoints it read: a change made on this instance applies at
 * once, one made on another within this. Without it every message and page view would ask the
 * database for endpoints, almost always to learn there are none.
 */
const SUBSCRIPTIONS_TTL_MS = 5_000;
type Subscribers = Array<{ id: string; events: string[] }>;
/** The endpoints as read, until when they are trusted, and once the read is done, known. */
type Held = { until: number; endpoints: Promise<Subscribers>; known?: Subscribers };
const subscriptions = new WeakMap<Context, Held>();

/** Endpoints were added, changed, turned off or deleted here: read them again next time. */
export const forgetSubscriptions = (ctx: Context) => void subscriptions.delete(ctx);

async function subscribersOf(ctx: Context, eventType: string): Promise<Array<{ id: string }>> {
  let held = subscriptions.get(ctx);
  if (!held || held.until < Date.now()) {
    const read: Held = {
      until: Date.now() + SUBSCRIPTIONS_TTL_MS,
      endpoints: listEnabledEndpoints(ctx.db),
    };
    read.endpoints.then(
      (endpoints) => void (read.known = endpoints),
      () => forgetSubscriptions(ctx),
    );
    subscriptions.set(ctx, (held = read));
  }
  return (await held.endpoints).filter((e) => e.events.includes(eventType));
}

/**
 * Whether an endpoint may want the event: false only when the endpoints this instance last read
 * are still trusted and none of them wants it. The outlet asks first, so that an event nobody
 * subscribes to (most events, for most teams) costs nothing more.
 */
export function mayBeWanted(ctx: Context, eventType: string): boolean {
  const held = subscriptions.get(ctx);
  if (!held?.known || held.until < Date.now()) return true;
  return held.known.some((e) => e.events.includes(eventType));
}

/**
 * Stores one event's delivery to every enabled endpoint that wants it, each with its job, in
 * one transaction. `data` is only built when some endpoint wants the event.
 */
export async function recordWebhookEvent(
  ctx: Context,
  event: WebhookEventRecord,
  data: () => Promise<unknown>,
): Promise<void> {
  const endpoints = await subscribersOf(ctx, event.eventType);
  if (endpoints.length === 0) return;
  const payload = await data();
  await ctx.db.transaction(async (tx) => {
    const rows = await insertDeliveries(
      tx,
      { ...event, payload },
      endpoints.map((e) => e.id),
    );
    for (const row of rows) await enqueueDelivery(ctx, row.id, { tx });
  });
  ctx.jobs.wake();
}

/** The delivery's job, at `runAt` (now by default); a queued one of it moves to that time. */
export async function enqueueDelivery(
  ctx: Context,
  deliveryId: string,
  opts: { tx?: Tx; runAt?: Date } = {},
): Promise<void> {
  await ctx.jobs.enqueue('deliver-webhook', { deliveryId }, { ...opts, key: deliveryId });
}

/**
 * One attempt at a delivery, by its job. It waits while an earlier delivery of its endpoint
 * and conversation is pending (that one hands over when it is done), so a conversation's
 * events arrive in order. A failure is retried later by a job of its own, or fails for good
 * after its last attempt; an endpoint failing for a day is turned off and its admins told.
 */
export async function attemptWebhookDelivery(
  ctx: Context,
  deliveryId: string,
  policy: RetryPolicy,
): Promise<void> {
  const delivery = await findDelivery(ctx.db, deliveryId);
  if (delivery?.status !== 'pending') return;
  const endpoint = await findEndpoint(ctx.db, delivery.endpointId);
  if (!endpoint) return;
  if (!endpoint.enabled && delivery.eventType !== 'ping') {
    await failPendingDeliveries(ctx.db, endpoint.id, ENDPOINT_OFF);
    return;
  }
  const { timeoutMs, allowPrivate } = ctx.config.webhooks;
  const claimed = await claimDelivery(ctx.db, deliveryId, timeoutMs + LEASE_MARGIN_MS);
  if (!claimed) return waitForTurn(ctx, deliveryId);

  const body = webhookBodyOf(claimed);
  const outcome = await postWebhook({
    url: endpoint.url,
    body,
    headers: headersOf(endpoint.secret, claimed, body),
    timeoutMs,
    allowPrivate,
  });
  // The policy counts this round's attempts: an admin's "Retry now" gives a delivery a new one.
  const round = claimed.attempts - claimed.attemptsBeforeRetry;
  const lastAttempt = round >= policy.maxAttempts(claimed.eventType);
  const summary = outcomeSummary(outcome);
  const row = await recordAttempt(ctx.db, deliveryId, {
    ...outcome,
    summary,
    retryInMs: outcome.delivered || lastAttempt ? null : policy.retryDelayMs(round),
  });
  let turnedOff = false;
  if (outcome.delivered) await markEndpointHealthy(ctx.db, endpoint.id);
  else turnedOff = await noteFailure(ctx, endpoint, summary);
  if (row?.status === 'pending' && row.nextAttemptAt && !turnedOff) {
    await enqueueDelivery(ctx, row.id, { runAt: row.nextAttemptAt });
  } else if (claimed.conversationId) {
    await handOver(ctx, endpoint.id, claimed.conversationId);
  }
}

/**
 * The body every attempt of a delivery sends, byte for byte the same (the payload comes back
 * from jsonb in one order), and so does an admin's resend of it; its signature is made afresh
 * with each attempt's time. The delivery log shows it as it is.
 */
export const webhookBodyOf = (d: WebhookDeliveryRow) =>
  JSON.stringify({
    id: d.eventId,
    type: d.eventType,
    createdAt: d.eventCreatedAt.toISOString(),
    data: d.payload,
  });

const headersOf = (secret: string, d: WebhookDeliveryRow, body: string) => ({
  'Content-Type': 'application/json',
  'User-Agent': 'Parley-Webhooks/1.0',
  'Parley-Signature': webhookSignature(secret, body, Math.floor(Date.now() / 1000)),
  'Parley-Event-Id': d.eventId,
  'Parley-Event-Type': d.eventType,
});

/**
 * Not claimed: it is done, behind an earlier delivery (which hands over), or not due yet (a
 * retry later, or another worker's lease): then a job waits for the time it is due.
 */
async function waitForTurn(ctx: Context, deliveryId: string): Promise<void> {
  const wait = await deliveryWait(ctx.db, deliveryId);
  if (!wait?.pending || wait.blocked) return;
  await enqueueDelivery(ctx, deliveryId, wait.due || !wait.at ? {} : { runAt: wait.at });
}

/** The next pending delivery of the conversation goes now (or when its retry is due). */
async function handOver(ctx: Context, endpointId: string, conversationId: string): Promise<void> {
  const next = await nextPendingOf(ctx.db, endpointId, conversationId);
  if (!next) return;
  await enqueueDelivery(ctx, next.id, next.nextAttemptAt ? { runAt: next.nextAttemptAt } : {});
}

/** Counts a failure against the endpoint; true when that turned it off. */
async function noteFailure(
  ctx: Context,
  endpoint: WebhookEndpointRow,
  error: string | null,
): Promise<boolean> {
  const reason = `Turned off by Parley on ${new Date().toISOString().slice(0, 10)}: deliveries failed for more than a day (last: ${error ?? 'no answer'})`;
  const disabled = await disableFailingEndpoint(ctx.db, endpoint.id, FAILING_FOR_MS, reason);
  if (disabled) forgetSubscriptions(ctx);
  if (!disabled) {
    await markEndpointFailing(ctx.db, endpoint.id);
    return false;
  }
  ctx.log.warn({ endpoint: endpoint.id, url: endpoint.url }, 'webhook endpoint turned off');
  await failPendingDeliveries(ctx.db, endpoint.id, ENDPOINT_OFF);
  await notifyEndpointDisabled(ctx, disabled);
  return true;
}
