import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';
import { users, visitorBans } from './schema.js';

export type BanRow = typeof visitorBans.$inferSelect & {
  creator: { id: string; name: string } | null;
};

/** In force: not expired. (A lifted ban is deleted.) */
const inForce = (): SQL =>
  sql`(${visitorBans.expiresAt} is null or ${visitorBans.expiresAt} > now())`;

const withCreator = (db: Tx) =>
  db
    .select({ ban: visitorBans, creatorId: users.id, creatorName: users.name })
    .from(visitorBans)
    .leftJoin(users, eq(users.id, visitorBans.createdBy));

type Joined = {
  ban: typeof visitorBans.$inferSelect;
  creatorId: string | null;
  creatorName: string | null;
};
const toRow = ({ ban, creatorId, creatorName }: Joined): BanRow => ({
  ...ban,
  creator: creatorId === null ? null : { id: creatorId, name: creatorName ?? '' },
});

/**
 * Whether a ban in force names the visitor or contains the address (an IP address, checked by
 * the caller). One indexed probe by visitor; the address is matched by `>>=` (contains or
 * equals), so a ban of a network covers every address in it.
 */
export async function isBanned(
  db: Tx,
  visitorId: string | null,
  address: string | null,
): Promise<boolean> {
  const whom: SQL[] = [];
  if (visitorId !== null) whom.push(eq(visitorBans.visitorId, visitorId));
  if (address !== null) whom.push(sql`${visitorBans.address} >>= ${address}::inet`);
  if (whom.length === 0) return false;
  const [row] = await db
    .select({ id: visitorBans.id })
    .from(visitorBans)
    .where(and(or(...whom), inForce()))
    .limit(1);
  return row !== undefined;
}

/** The bans in force, newest first. */
export async function listBans(db: Tx): Promise<BanRow[]> {
  const rows = await withCreator(db).where(inForce()).orderBy(desc(visitorBans.createdAt));
  return rows.map(toRow);
}

/** The ban in force of exactly this visitor and address (each possibly none). */
export async function findSameBan(
  db: Tx,
  visitorId: string | null,
  address: string | null,
): Promise<BanRow | null> {
  const [row] = await withCreator(db)
    .where(
      and(
        visitorId === null ? isNull(visitorBans.visitorId) : eq(visitorBans.visitorId, visitorId),
        address === null
          ? isNull(visitorBans.address)
          : sql`${visitorBans.address} = ${address}::inet`,
        inForce(),
      ),
    )
    .limit(1);
  return row ? toRow(row) : null;
}

export async function insertBan(
  db: Tx,
  ban: {
    visitorId: string | null;
    address: string | null;
    reason: string;
    createdBy: string | null;
    expiresAt: Date | null;
  },
): Promise<BanRow> {
  const [row] = await db.insert(visitorBans).values(ban).returning();
  if (!row) throw new Error('insert returned no row');
  const [creator] =
    ban.createdBy === null
      ? []
      : await db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(eq(users.id, ban.createdBy));
  return { ...row, creator: creator ?? null };
}

/** Deletes a ban: false when there is none of that id. */
/** Deletes a ban; what it was, for the audit log, or null when there was none. */
export async function deleteBan(
  db: Tx,
  id: string,
): Promise<{ visitorId: string | null; address: string | null; reason: string } | null> {
  const [row] = await db.delete(visitorBans).where(eq(visitorBans.id, id)).returning({
    visitorId: visitorBans.visitorId,
    address: visitorBans.address,
    reason: visitorBans.reason,
  });
  return row ?? null;
}
