import { lt } from 'drizzle-orm';
import type { Tx } from './client.js';
import { spentChallenges } from './schema.js';

/** Marks a solved challenge spent: true the first time, false when it was spent already. */
export async function spendChallenge(db: Tx, signature: string, expiresAt: Date): Promise<boolean> {
  const rows = await db
    .insert(spentChallenges)
    .values({ signature, expiresAt })
    .onConflictDoNothing()
    .returning({ signature: spentChallenges.signature });
  return rows.length > 0;
}

/** Forgets spent challenges that have expired anyway (they would be refused as expired). */
export async function deleteExpiredChallenges(db: Tx): Promise<void> {
  await db.delete(spentChallenges).where(lt(spentChallenges.expiresAt, new Date()));
}
