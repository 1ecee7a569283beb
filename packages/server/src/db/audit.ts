import { and, desc, eq, gte, inArray, like, lt, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import {
  apiTokens,
  auditEvents,
  invitations,
  sites,
  teams,
  users,
  webhookEndpoints,
} from './schema.js';

export type NewAuditEvent = typeof auditEvents.$inferInsert;
export type AuditEventRow = typeof auditEvents.$inferSelect;

/** Which records a page or the CSV shows. */
export type AuditFilter = {
  /** An action, or with no dot, every action of that kind (`user` → `user.*`). */
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
};

export async function insertAuditEvent(db: Tx, values: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values(values);
}

/** The latest record of `action` on `targetId`: who did it and when. */
export async function lastAuditEvent(
  db: Tx,
  action: string,
  targetId: string,
): Promise<{ actorName: string; at: Date } | null> {
  const [row] = await db
    .select({ actorName: auditEvents.actorName, at: auditEvents.at })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)))
    .orderBy(desc(auditEvents.at))
    .limit(1);
  return row ?? null;
}

function matching(f: AuditFilter): SQL | undefined {
  // `_` is LIKE's any-character: a kind such as `sign_in` is matched literally.
  const kind = f.action && !f.action.includes('.') ? f.action.replace(/_/g, '\\_') : undefined;
  return and(
    kind
      ? like(auditEvents.action, `${kind}.%`)
      : f.action
        ? eq(auditEvents.action, f.action)
        : undefined,
    f.actorId ? eq(auditEvents.actorId, f.actorId) : undefined,
    f.from ? gte(auditEvents.at, f.from) : undefined,
    f.to ? lt(auditEvents.at, f.to) : undefined,
  );
}

/** Up to `limit` records matching `filter` after `position`, newest first. */
export async function listAuditEvents(
  db: Tx,
  filter: AuditFilter,
  position: KeysetPosition | undefined,
  limit: number,
): Promise<AuditEventRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(matching(filter), after(auditEvents.at, auditEvents.id, position)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}

/**
 * Readable names for the ids a page of records points at (people, tokens, webhooks, sites,
 * teams, invitations by their address): one small query per table, by primary key. Ids of
 * other things are not looked up.
 */
export async function namesOf(db: Tx, ids: string[]): Promise<Map<string, string>> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const wanted = [...new Set(ids.filter((id) => uuid.test(id)))];
  const names = new Map<string, string>();
  if (wanted.length === 0) return names;
  const found = await Promise.all([
    db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted)),
    db
      .select({ id: apiTokens.id, name: apiTokens.name })
      .from(apiTokens)
      .where(inArray(apiTokens.id, wanted)),
    db
      .select({ id: webhookEndpoints.id, name: webhookEndpoints.url })
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.id, wanted)),
    db.select({ id: sites.id, name: sites.name }).from(sites).where(inArray(sites.id, wanted)),
    db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, wanted)),
    db
      .select({ id: invitations.id, name: invitations.email })
      .from(invitations)
      .where(inArray(invitations.id, wanted)),
  ]);
  for (const rows of found) for (const r of rows) names.set(r.id, r.name);
  return names;
}
