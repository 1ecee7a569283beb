import { sql } from 'drizzle-orm';
import type { Tx } from './client.js';

/**
 * Serialises a critical section across every instance on the database, for the rest of the
 * transaction. On PGlite (one connection) transactions are serial anyway; the lock is harmless.
 */
export async function lockFor(
  tx: Tx,
  name: 'routing' | 'first-user' | 'invitations',
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${name}))`);
}
