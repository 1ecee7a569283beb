import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from './client.js';
import { auditEvents } from './schema.js';

export type NewAuditEvent = typeof auditEvents.$inferInsert;

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
