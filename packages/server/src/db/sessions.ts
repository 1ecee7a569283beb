import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Tx } from './client.js';
import { sessions } from './schema.js';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(
  db: Tx,
  values: { userId: string; tokenHash: string; expiresAt: Date; userAgent: string | null },
): Promise<SessionRow> {
  const [row] = await db.insert(sessions).values(values).returning();
  if (!row) throw new Error('Session insert returned nothing');
  return row;
}

/** The session a refresh token hash belongs to, revoked or not (reuse must be noticed). */
export async function findSessionByHash(db: Tx, tokenHash: string): Promise<SessionRow | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  return row ?? null;
}

/** Revokes one session if it is still live; false if it was already revoked (a replay). */
export async function revokeSession(db: Tx, id: string): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function revokeUserSessions(db: Tx, userId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
      ),
    );
}
