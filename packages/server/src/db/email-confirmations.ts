import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { emailConfirmations, visitors } from './schema.js';

export type EmailConfirmationRow = typeof emailConfirmations.$inferSelect;

/**
 * Stores a new code for the visitor, replacing their pending one, unless that one is for the
 * same address, still usable and younger than `resendAfterSeconds`: true when stored (the code
 * is to be emailed), false when the code sent moments ago stands. One statement, so two
 * identical requests at once store, and send, one code.
 */
export async function storeEmailCode(
  tx: Tx,
  c: { visitorId: string; email: string; codeHash: string; expiresAt: Date },
  o: { resendAfterSeconds: number; maxAttempts: number },
): Promise<boolean> {
  const stored = await tx
    .insert(emailConfirmations)
    .values({ ...c, attempts: 0 })
    .onConflictDoUpdate({
      target: emailConfirmations.visitorId,
      set: {
        email: c.email,
        codeHash: c.codeHash,
        attempts: 0,
        sentAt: sql`now()`,
        expiresAt: c.expiresAt,
      },
      setWhere: sql`${emailConfirmations.email} <> excluded.email
        or ${emailConfirmations.sentAt} < now() - make_interval(secs => ${o.resendAfterSeconds})
        or ${emailConfirmations.attempts} >= ${o.maxAttempts}
        or ${emailConfirmations.expiresAt} <= now()`,
    })
    .returning({ visitorId: emailConfirmations.visitorId });
  return stored.length > 0;
}

/** The visitor's pending code, locked until the transaction ends. */
export async function lockEmailCode(
  tx: Tx,
  visitorId: string,
): Promise<(EmailConfirmationRow & { expired: boolean }) | null> {
  const [row] = await tx
    .select({
      visitorId: emailConfirmations.visitorId,
      email: emailConfirmations.email,
      codeHash: emailConfirmations.codeHash,
      attempts: emailConfirmations.attempts,
      sentAt: emailConfirmations.sentAt,
      expiresAt: emailConfirmations.expiresAt,
      expired: sql<boolean>`${emailConfirmations.expiresAt} <= now()`,
    })
    .from(emailConfirmations)
    .where(eq(emailConfirmations.visitorId, visitorId))
    .for('update');
  return row ?? null;
}

export async function countEmailCodeAttempt(tx: Tx, visitorId: string): Promise<void> {
  await tx
    .update(emailConfirmations)
    .set({ attempts: sql`${emailConfirmations.attempts} + 1` })
    .where(eq(emailConfirmations.visitorId, visitorId));
}

export async function deleteEmailCode(tx: Tx, visitorId: string): Promise<void> {
  await tx.delete(emailConfirmations).where(eq(emailConfirmations.visitorId, visitorId));
}

/**
 * Records that the visitor owns `email`, if it is still their address (they may have changed
 * it meanwhile). True when recorded.
 */
export async function markEmailOwned(tx: Tx, visitorId: string, email: string): Promise<boolean> {
  const rows = await tx
    .update(visitors)
    .set({ confirmedEmail: email })
    .where(and(eq(visitors.id, visitorId), sql`lower(${visitors.email}) = ${email}`))
    .returning({ id: visitors.id });
  return rows.length > 0;
}
