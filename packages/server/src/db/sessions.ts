import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from './client.js';
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
    ip: string | null;
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

/** A browser's sign-in as the devices list shows it: from its refresh tokens, the latest's. */
export type SignInRow = {
  familyId: string;
  userAgent: string | null;
  ip: string | null;
  signedInAt: Date;
  lastSeenAt: Date;
};

/** The user's live sign-ins (not ended, not expired), last seen first. */
export async function listSignIns(db: Tx, userId: string): Promise<SignInRow[]> {
  const rows = await rowsOf<{
    familyId: string;
    userAgent: string | null;
    ip: string | null;
    signedInMs: number;
    lastSeenMs: number;
  }>(
    db,
    sql`select family_id as "familyId",
        (array_agg(user_agent order by created_at desc))[1] as "userAgent",
        (array_agg(ip order by created_at desc))[1] as ip,
        (extract(epoch from min(created_at)) * 1000)::float8 as "signedInMs",
        (extract(epoch from max(created_at)) * 1000)::float8 as "lastSeenMs"
      from ${sessions}
      where user_id = ${userId} and ended_at is null
      group by family_id
      having max(expires_at) > now()
      order by max(created_at) desc`,
  );
  return rows.map((r) => ({
    familyId: r.familyId,
    userAgent: r.userAgent,
    ip: r.ip,
    signedInAt: new Date(r.signedInMs),
    lastSeenAt: new Date(r.lastSeenMs),
  }));
}

/** Ends one sign-in of the user, if it is theirs and live; whether it did. */
export async function endUserSignIn(db: Tx, userId: string, familyId: string): Promise<boolean> {
  const now = new Date();
  const rows = await db
    .update(sessions)
    .set({ endedAt: now, revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        eq(sessions.familyId, familyId),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
      ),
    )
    .returning({ id: sessions.id });
  if (rows.length === 0) return false;
  // Its rotated (expired or revoked) tokens end with it.
  await endSessionFamily(db, familyId);
  return true;
}
