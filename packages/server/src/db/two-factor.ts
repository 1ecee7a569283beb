import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { users } from './schema.js';
import type { UserRow } from './users.js';

// Two-factor sign-in's writes (services/two-factor.ts). Each is one UPDATE whose WHERE states
// what must still hold, so two requests racing on one code or one recovery code: one wins.

/** Keeps a new secret (encrypted) waiting for its first code; replaces one waiting already. */
export async function setPendingSecret(db: Tx, userId: string, sealed: string): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpPendingSecret: sealed })
    .where(and(eq(users.id, userId), isNull(users.totpEnabledAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Turns two-factor on with the secret that was waiting, if it still is the one the code was
 * checked against; `step` is that code's, so it cannot be used again.
 */
export async function enableTwoFactor(
  db: Tx,
  userId: string,
  sealed: string,
  step: number,
  recoveryHashes: string[],
): Promise<UserRow | null> {
  const [row] = await db
    .update(users)
    .set({
      totpSecret: sealed,
      totpPendingSecret: null,
      totpEnabledAt: sql`now()`,
      totpLastStep: step,
      totpRecoveryHashes: recoveryHashes,
    })
    .where(
      and(eq(users.id, userId), eq(users.totpPendingSecret, sealed), isNull(users.totpEnabledAt)),
    )
    .returning();
  return row ?? null;
}

/**
 * Takes a code's step: true when it is later than any step taken before with this secret. A
 * code for that step or an earlier one (a replay, or the other of two racing requests) is not.
 */
export async function takeStep(
  db: Tx,
  userId: string,
  sealed: string,
  step: number,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(
      and(
        eq(users.id, userId),
        eq(users.totpSecret, sealed),
        isNotNull(users.totpEnabledAt),
        or(isNull(users.totpLastStep), lt(users.totpLastStep, step)),
      ),
    )
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Uses up a recovery code: true if it was one of the user's, and now is not. */
export async function takeRecoveryCode(db: Tx, userId: string, hash: string): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpRecoveryHashes: sql`array_remove(${users.totpRecoveryHashes}, ${hash})` })
    .where(
      and(
        eq(users.id, userId),
        isNotNull(users.totpEnabledAt),
        sql`${hash} = any(${users.totpRecoveryHashes})`,
      ),
    )
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Replaces the recovery codes, while two-factor is on with this secret. */
export async function replaceRecoveryCodes(
  db: Tx,
  userId: string,
  sealed: string,
  hashes: string[],
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpRecoveryHashes: hashes })
    .where(and(eq(users.id, userId), eq(users.totpSecret, sealed)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Turns two-factor off: the secret, the one waiting, the step and the recovery codes go. */
export async function disableTwoFactor(db: Tx, userId: string): Promise<UserRow | null> {
  const [row] = await db
    .update(users)
    .set({
      totpSecret: null,
      totpPendingSecret: null,
      totpEnabledAt: null,
      totpLastStep: null,
      totpRecoveryHashes: [],
    })
    .where(and(eq(users.id, userId), isNotNull(users.totpEnabledAt)))
    .returning();
  return row ?? null;
}

/** The active people who have not set up two-factor sign-in (bots never need it). */
export async function peopleWithoutTwoFactor(db: Tx): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.kind, 'person'), eq(users.active, true), isNull(users.totpEnabledAt)));
  return rows.map((r) => r.id);
}
