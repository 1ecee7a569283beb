import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Tx } from './client.js';
import { apiTokens, sessions } from './schema.js';

export type SessionRow = typeof sessions.$inferSelect;

/** A refresh token; without `familyId` it starts a new session (a sign-in). */
export async function insertSession(
  db: Tx,
  values: {
    userId: string;
    tokenHash: string;
    expiresAt: Date;
    userAgent: string | null;
    familyId?: string;
  },
): Promise<SessionRow> {
  const id = crypto.randomUUID();
  const [row] = await db
    .insert(sessions)
    .values({ ...values, id, familyId: values.familyId ?? id })
    .returning();
  if (!row) throw new Error('Session insert returned nothing');
  return row;
}

/** The session a refresh token hash belongs to, revoked or not (reuse must be noticed). */
export async function findSessionByHash(db: Tx, tokenHash: string): Promise<SessionRow | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  return row ?? null;
}

/** Revokes one refresh token if it is still live (rotation); false if it was already revoked. */
export async function revokeSession(db: Tx, id: string): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), isNull(sessions.endedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** Ends one sign-in: every refresh token of the family. */
export async function endSessionFamily(db: Tx, familyId: string): Promise<void> {
  const now = new Date();
  await db
    .update(sessions)
    .set({ endedAt: now, revokedAt: now })
    .where(and(eq(sessions.familyId, familyId), isNull(sessions.endedAt)));
}

/** Ends every sign-in of the user; returns the families that were live. */
export async function endUserSessions(db: Tx, userId: string): Promise<string[]> {
  const now = new Date();
  const rows = await db
    .update(sessions)
    .set({ endedAt: now, revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt), gt(sessions.expiresAt, now)))
    .returning({ familyId: sessions.familyId });
  return [...new Set(rows.map((r) => r.familyId))];
}

/**
 * Sign-ins ended since `since`: what an instance must refuse access tokens of. A revoked API
 * token counts as one (its id stands for its sign-in), so its open sockets go too.
 */
export async function listEndedFamilies(
  db: Tx,
  since: Date,
): Promise<Array<{ familyId: string; endedAt: Date }>> {
  const ended = await db
    .select({ familyId: sessions.familyId, endedAt: sessions.endedAt })
    .from(sessions)
    .where(gt(sessions.endedAt, since))
    .unionAll(
      db
        .select({ familyId: apiTokens.id, endedAt: apiTokens.revokedAt })
        .from(apiTokens)
        .where(gt(apiTokens.revokedAt, since)),
    );
  return ended.flatMap((r) => (r.endedAt ? [{ familyId: r.familyId, endedAt: r.endedAt }] : []));
}
