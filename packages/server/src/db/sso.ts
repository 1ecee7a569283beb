import { and, eq } from 'drizzle-orm';
import type { Tx } from './client.js';
import { users } from './schema.js';
import type { UserRow } from './users.js';

/** The user linked to this subject of this issuer (single sign-on); null when none is. */
export async function findUserBySsoSubject(
  db: Tx,
  issuer: string,
  subject: string,
): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, subject)));
  return row ?? null;
}
