import type { ApiToken } from '@parley/protocol';
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from './client.js';
import { apiTokens, users } from './schema.js';
import type { UserRow } from './users.js';

export type ApiTokenRow = typeof apiTokens.$inferSelect;
const creators = alias(users, 'creators');

/**
 * A token works while it is not revoked or expired, the user it acts as is active, and so is the
 * admin who made it: a departing admin's tokens stop with their account, bots' included (they
 * knew the secrets). Reactivating the account brings them back; revoking is for good.
 */
const live = and(
  isNull(apiTokens.revokedAt),
  or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
  eq(users.active, true),
  or(isNull(creators.id), eq(creators.active, true)),
);

/** Why a token that is not revoked does not work: the list says so. */
const stoppedReason = sql<ApiToken['stoppedReason']>`case
  when ${apiTokens.revokedAt} is not null then null
  when ${apiTokens.expiresAt} <= now() then 'expired'
  when not ${users.active} then 'user_deactivated'
  when ${creators.active} = false then 'creator_deactivated'
end`;

const listed = {
  token: apiTokens,
  user: { id: users.id, name: users.name, kind: users.kind },
  creator: { id: creators.id, name: creators.name },
  stoppedReason,
};
type Listed = {
  token: ApiTokenRow;
  user: ApiToken['user'];
  creator: { id: string; name: string } | null;
  stoppedReason: ApiToken['stoppedReason'];
};

export const toApiToken = (r: Listed): ApiToken => ({
  id: r.token.id,
  name: r.token.name,
  prefix: r.token.prefix,
  scope: r.token.scope,
  user: r.user,
  createdBy: r.creator,
  lastUsedAt: r.token.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.token.revokedAt?.toISOString() ?? null,
  expiresAt: r.token.expiresAt?.toISOString() ?? null,
  scopes: r.token.scopes,
  stoppedReason: r.stoppedReason,
  createdAt: r.token.createdAt.toISOString(),
});

const selectListed = (db: Tx) =>
  db
    .select(listed)
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(creators, eq(creators.id, apiTokens.createdBy));

export async function insertApiToken(
  db: Tx,
  values: typeof apiTokens.$inferInsert,
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(values).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function listApiTokens(db: Tx): Promise<ApiToken[]> {
  const rows = await selectListed(db).orderBy(desc(apiTokens.createdAt));
  return rows.map(toApiToken);
}

export async function findApiToken(db: Tx, id: string): Promise<ApiToken | null> {
  const [row] = await selectListed(db).where(eq(apiTokens.id, id));
  return row ? toApiToken(row) : null;
}

/** A live token by its secret's hash, with the user it acts as. */
export async function findLiveToken(
  db: Tx,
  tokenHash: string,
): Promise<{ token: ApiTokenRow; user: UserRow } | null> {
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(creators, eq(creators.id, apiTokens.createdBy))
    .where(and(eq(apiTokens.tokenHash, tokenHash), live));
  return row ?? null;
}

/** Sets last_used_at at most once a minute per token: a busy integration writes little. */
export async function touchApiToken(db: Tx, id: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, id),
        or(
          isNull(apiTokens.lastUsedAt),
          lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`),
        ),
      ),
    );
}

/** Revokes the token; null when there is none or it was revoked already. */
export async function revokeApiToken(db: Tx, id: string): Promise<ApiTokenRow | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning();
  return row ?? null;
}

/** Tokens still live that act as `userId` (a bot has one while it can answer). */
export async function liveTokenIdsOf(db: Tx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(creators, eq(creators.id, apiTokens.createdBy))
    .where(and(eq(apiTokens.userId, userId), live));
  return rows.map((r) => r.id);
}

/** Tokens not revoked that act as `userId` or were made by them: what their deactivation stops. */
export async function tokenIdsActingOrMadeBy(db: Tx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(
      and(
        isNull(apiTokens.revokedAt),
        or(eq(apiTokens.userId, userId), eq(apiTokens.createdBy, userId)),
      ),
    );
  return rows.map((r) => r.id);
}
