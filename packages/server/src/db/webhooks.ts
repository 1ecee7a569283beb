import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import { users, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from './schema.js';
import { uuid7 } from './uuid7.js';

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;
type NewEndpoint = typeof webhookEndpoints.$inferInsert;

const endpoints = webhookEndpoints;
const deliveries = webhookDeliveries;
const attempts = webhookDeliveryAttempts;
const inMs = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000})`;

// --- endpoints

export async function insertEndpoint(db: Tx, values: NewEndpoint): Promise<WebhookEndpointRow> {
  const [row] = await db.insert(endpoints).values(values).returning();
  if (!row) throw new Error('Endpoint insert returned nothing');
  return row;
}

export async function listEndpoints(db: Tx): Promise<WebhookEndpointRow[]> {
  return db.select().from(endpoints).orderBy(asc(endpoints.createdAt), asc(endpoints.id));
}

export async function findEndpoint(db: Tx, id: string): Promise<WebhookEndpointRow | null> {
  const [row] = await db.select().from(endpoints).where(eq(endpoints.id, id));
  return row ?? null;
}

export async function updateEndpoint(
  db: Tx,
  id: string,
  values: Partial<NewEndpoint>,
): Promise<WebhookEndpointRow | null> {
  const [row] = await db.update(endpoints).set(values).where(eq(endpoints.id, id)).returning();
  return row ?? null;
}

/** Its deliveries go with it (ON DELETE CASCADE). */
export async function deleteEndpoint(db: Tx, id: string): Promise<boolean> {
  const rows = await db
    .delete(endpoints)
    .where(eq(endpoints.id, id))
    .returning({ id: endpoints.id });
  return rows.length > 0;
}

/** The enabled endpoints that want events of `type`. */
/** Every enabled endpoint with the events it wants: what the outlet matches events against. */
export async function listEnabledEndpoints(
  db: Tx,
): Promise<Array<{ id: string; events: string[] }>> {
  return db
    .select({ id: endpoints.id, events: endpoints.events })
    .from(endpoints)
    .where(eq(endpoints.enabled, true));
}

/** A delivery failed: the endpoint fails since now, unless it already did. */
export async function markEndpointFailing(db: Tx, id: string): Promise<void> {
  await db
    .update(endpoints)
    .set({ failingSince: sql`now()` })
    .where(and(eq(endpoints.id, id), eq(endpoints.enabled, true), isNull(endpoints.failingSince)));
}

/** A delivery succeeded: whatever failed before is over. */
export async function markEndpointHealthy(db: Tx, id: string): Promise<void> {
  await db
    .update(endpoints)
    .set({ failingSince: null })
    .where(and(eq(endpoints.id, id), sql`${endpoints.failingSince} is not null`));
}

/**
 * Turns the endpoint off when it has failed for `failingForMs` without a success. Only the one
 * caller that turns it off gets the row back (and tells the admins).
 */
export async function disableFailingEndpoint(
  db: Tx,
  id: string,
  failingForMs: number,
  reason: string,
): Promise<WebhookEndpointRow | null> {
  const [row] = await db
    .update(endpoints)
    .set({ enabled: false, disabledReason: reason })
    .where(
      and(
        eq(endpoints.id, id),
        eq(endpoints.enabled, true),
        sql`${endpoints.failingSince} <= ${inMs(-failingForMs)}`,
      ),
    )
    .returning();
  return row ?? null;
}

/** Who is told that Parley turned an endpoint off: its creator and the admins, if active. */
export async function listEndpointOwners(
  db: Tx,
  createdBy: string | null,
): Promise<{ email: string; name: string }[]> {
  return db
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        eq(users.kind, 'person'),
        createdBy ? or(eq(users.role, 'admin'), eq(users.id, createdBy)) : eq(users.role, 'admin'),
      ),
    );
}

// --- deliveries

/** One event's deliveries, one per endpoint, all with the event's id and time. */
export async function insertDeliveries(
  db: Tx,
  event: {
    eventId: string;
    eventType: string;
    conversationId: string | null;
    payload: unknown;
    createdAt: Date;
  },
  endpointIds: string[],
): Promise<WebhookDeliveryRow[]> {
  if (endpointIds.length === 0) return [];
  return db
    .insert(deliveries)
    .values(
      endpointIds.map((endpointId) => ({
        id: uuid7(),
        endpointId,
        ...event,
        eventCreatedAt: event.createdAt,
      })),
    )
    .returning();
}

/**
 * An admin's resend of a delivery: a new delivery of the same event (id, type, conversation,
 * time and payload) to the same endpoint, pending now. Null when a delivery of that event to
 * that endpoint is pending already (one at most: webhook_deliveries_pending_event_key).
 */
export async function insertResend(
  db: Tx,
  of: WebhookDeliveryRow,
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .insert(deliveries)
    .values({
      id: uuid7(),
      endpointId: of.endpointId,
      eventId: of.eventId,
      eventType: of.eventType,
      conversationId: of.conversationId,
      payload: of.payload,
      eventCreatedAt: of.eventCreatedAt,
      resendOf: of.id,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** The pending delivery of an event to an endpoint, if there is one. */
export async function findPendingOfEvent(
  db: Tx,
  endpointId: string,
  eventId: string,
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.endpointId, endpointId),
        eq(deliveries.eventId, eventId),
        eq(deliveries.status, 'pending'),
      ),
    );
  return row ?? null;
}

/** Every attempt at a delivery, in the order they were made. */
export async function listAttempts(db: Tx, deliveryId: string): Promise<WebhookAttemptRow[]> {
  return db
    .select()
    .from(attempts)
    .where(eq(attempts.deliveryId, deliveryId))
    .orderBy(asc(attempts.n));
}

export async function findDelivery(db: Tx, id: string): Promise<WebhookDeliveryRow | null> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row ?? null;
}

/** Newest first; the cursor is the last row's (createdAt, id). */
export async function listDeliveries(
  db: Tx,
  endpointId: string,
  opts: { status?: WebhookDeliveryRow['status']; after?: KeysetPosition; limit: number },
): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.endpointId, endpointId),
        opts.status ? eq(deliveries.status, opts.status) : undefined,
        after(deliveries.createdAt, deliveries.id, opts.after),
      ),
    )
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(opts.limit);
}

const earlier = alias(deliveries, 'earlier');
/** A pending delivery of the same endpoint and conversation, made before this one. */
const earlierPending = sql`exists (
  select 1 from ${deliveries} as ${sql.identifier('earlier')}
  where ${earlier.endpointId} = ${deliveries.endpointId}
    and ${earlier.conversationId} = ${deliveries.conversationId}
    and ${earlier.status} = 'pending'
    and (${earlier.createdAt}, ${earlier.id}) < (${deliveries.createdAt}, ${deliveries.id}))`;
const due = sql`(${deliveries.nextAttemptAt} is null or ${deliveries.nextAttemptAt} <= now())`;

/**
 * Takes a delivery for one attempt: only while it is pending, due, and none made before it for
 * the same endpoint and conversation is still pending (those go first). The attempt is counted
 * and the delivery leased for `leaseMs`: another worker cannot take it meanwhile, and if this one
 * dies it is due again when the lease ends.
 */
export async function claimDelivery(
  db: Tx,
  id: string,
  leaseMs: number,
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .update(deliveries)
    .set({ attempts: sql`${deliveries.attempts} + 1`, nextAttemptAt: inMs(leaseMs) })
    .where(
      and(eq(deliveries.id, id), eq(deliveries.status, 'pending'), due, sql`not ${earlierPending}`),
    )
    .returning();
  return row ?? null;
}

/** Why a delivery could not be claimed: waiting for an earlier one, or not due until `at`. */
export async function deliveryWait(
  db: Tx,
  id: string,
): Promise<{ pending: boolean; blocked: boolean; due: boolean; at: Date | null } | null> {
  const [row] = await db
    .select({
      pending: sql<boolean>`${deliveries.status} = 'pending'`,
      blocked: sql<boolean>`${earlierPending}`,
      due: sql<boolean>`${due}`,
      at: deliveries.nextAttemptAt,
    })
    .from(deliveries)
    .where(eq(deliveries.id, id));
  return row ?? null;
}

/**
 * What an attempt came to: delivered; pending again, due in `retryInMs`; or failed for good
 * (`retryInMs` null). The attempt gets a row of its own, numbered after the delivery's last, and
 * the delivery keeps `summary` as its error. A failure leaves a delivery failed meanwhile (its
 * endpoint was turned off) as it is; a success is recorded whatever happened meanwhile.
 */
export async function recordAttempt(
  db: Tx,
  id: string,
  outcome: {
    delivered: boolean;
    responseStatus: number | null;
    latencyMs: number;
    error: string | null;
    answer: string | null;
    summary: string | null;
    retryInMs: number | null;
  },
): Promise<WebhookDeliveryRow | null> {
  const { delivered, retryInMs } = outcome;
  return db.transaction(async (tx) => {
    // The delivery's row is locked first: two records of it (a lease that ran out mid-attempt)
    // take their numbers one after the other, and a delivery deleted meanwhile with its
    // endpoint is not written to (its attempt would have nothing to belong to).
    const [held] = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(eq(deliveries.id, id))
      .for('update');
    if (!held) return null;
    await tx.insert(attempts).values({
      deliveryId: id,
      n: sql`(select coalesce(max(${attempts.n}), 0) + 1 from ${attempts} where ${attempts.deliveryId} = ${id})`,
      sentAt: sql`now() - make_interval(secs => ${outcome.latencyMs / 1000})`,
      responseStatus: outcome.responseStatus,
      latencyMs: outcome.latencyMs,
      error: outcome.error,
      answer: outcome.answer,
    });
    const [row] = await tx
      .update(deliveries)
      .set({
        status: delivered ? 'delivered' : retryInMs === null ? 'failed' : 'pending',
        responseStatus: outcome.responseStatus,
        latencyMs: outcome.latencyMs,
        error: outcome.summary,
        nextAttemptAt: delivered || retryInMs === null ? null : inMs(retryInMs),
        deliveredAt: delivered ? sql`now()` : null,
      })
      .where(and(eq(deliveries.id, id), delivered ? undefined : eq(deliveries.status, 'pending')))
      .returning();
    return row ?? null;
  });
}

/** The oldest pending delivery of an endpoint and conversation: the next to go out. */
export async function nextPendingOf(
  db: Tx,
  endpointId: string,
  conversationId: string,
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.endpointId, endpointId),
        eq(deliveries.conversationId, conversationId),
        eq(deliveries.status, 'pending'),
      ),
    )
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
    .limit(1);
  return row ?? null;
}

/** Every pending delivery of an endpoint fails with `error` (the endpoint was turned off). */
export async function failPendingDeliveries(
  db: Tx,
  endpointId: string,
  error: string,
): Promise<void> {
  await db
    .update(deliveries)
    .set({ status: 'failed', error, nextAttemptAt: null })
    .where(and(eq(deliveries.endpointId, endpointId), eq(deliveries.status, 'pending')));
}

/**
 * A failed delivery, pending again now with a new round of retries (an admin's retry): its
 * attempts go on counting, and the retry policy counts the round's from here.
 */
export async function requeueFailedDelivery(
  db: Tx,
  endpointId: string,
  id: string,
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .update(deliveries)
    .set({ status: 'pending', attemptsBeforeRetry: deliveries.attempts, nextAttemptAt: null })
    .where(
      and(
        eq(deliveries.id, id),
        eq(deliveries.endpointId, endpointId),
        eq(deliveries.status, 'failed'),
      ),
    )
    .returning();
  return row ?? null;
}
