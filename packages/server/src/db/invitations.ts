import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { invitations, users } from './schema.js';

export type InvitationRow = typeof invitations.$inferSelect;
export type NewInvitation = typeof invitations.$inferInsert;

/** Open: neither accepted nor revoked, and not expired. Every use checks all three in SQL. */
const open = () =>
  and(
    isNull(invitations.acceptedAt),
    isNull(invitations.revokedAt),
    gt(invitations.expiresAt, sql`now()`),
  );

export async function insertInvitation(db: Tx, values: NewInvitation): Promise<InvitationRow> {
  const [row] = await db.insert(invitations).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Its admin is still active (or gone): a deactivated admin's invitations stop working. */
const inviterActive = () => or(isNull(invitations.invitedBy), eq(users.active, true));

/** The open invitation for an address, compared case-insensitively; null when none. */
export async function findOpenInvitationByEmail(
  db: Tx,
  email: string,
): Promise<InvitationRow | null> {
  const [row] = await db
    .select({ invitation: invitations })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(sql`lower(${invitations.email}) = lower(${email})`, open(), inviterActive()))
    .orderBy(asc(invitations.createdAt))
    .limit(1);
  return row?.invitation ?? null;
}

/**
 * The open invitation a link's token is for, with who made it; null when none. An invitation of
 * an admin who has been deactivated since no longer works, as their API tokens do not.
 */
export async function findOpenInvitationByTokenHash(db: Tx, tokenHash: string) {
  const [row] = await db
    .select({ invitation: invitations, invitedByName: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.tokenHash, tokenHash), open(), inviterActive()));
  return row ?? null;
}

/**
 * The invitations not yet used or revoked, oldest first, with who made them. Expired ones are
 * listed too, so an admin sees them and can send a new link.
 */
export async function listPendingInvitations(db: Tx) {
  return db
    .select({ invitation: invitations, invitedByName: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(asc(invitations.createdAt));
}

/**
 * Marks an invitation used by the account it made, only if it is still open: true for the one
 * caller that got it, so two accepts of one link at once make one account.
 */
export async function markInvitationAccepted(db: Tx, id: string, userId: string): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ acceptedAt: sql`now()`, userId })
    .where(and(eq(invitations.id, id), open()))
    .returning({ id: invitations.id });
  return rows.length > 0;
}

/** Revokes a pending invitation; null when there is none (unknown, used or revoked already). */
export async function revokeInvitation(db: Tx, id: string): Promise<InvitationRow | null> {
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
    )
    .returning();
  return row ?? null;
}

/**
 * Gives a pending invitation (expired or not) a new token and a new expiry: the old link dies
 * with its hash. Null when there is none to renew.
 */
export async function renewInvitation(
  db: Tx,
  id: string,
  r: { tokenHash: string; expiresAt: Date },
): Promise<InvitationRow | null> {
  const [row] = await db
    .update(invitations)
    .set(r)
    .where(
      and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
    )
    .returning();
  return row ?? null;
}
