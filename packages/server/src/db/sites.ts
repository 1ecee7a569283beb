import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { sites, siteTeams, visitors } from './schema.js';

export type SiteRow = typeof sites.$inferSelect & { teamIds: string[] };
type SiteColumns = Omit<typeof sites.$inferInsert, 'id' | 'createdAt'>;

/** Every site, the default first, then by name, each with its teams in routing order. */
export async function listSites(db: Tx): Promise<SiteRow[]> {
  const [rows, links] = await Promise.all([
    db
      .select()
      .from(sites)
      .orderBy(desc(sites.isDefault), asc(sql`lower(${sites.name})`)),
    db.select().from(siteTeams).orderBy(asc(siteTeams.position)),
  ]);
  const bySite = new Map<string, string[]>();
  for (const link of links) {
    const ids = bySite.get(link.siteId);
    if (ids) ids.push(link.teamId);
    else bySite.set(link.siteId, [link.teamId]);
  }
  return rows.map((row) => ({ ...row, teamIds: bySite.get(row.id) ?? [] }));
}

/** null when the key is taken. */
export async function insertSite(db: Tx, site: SiteColumns): Promise<SiteRow | null> {
  const [row] = await db.insert(sites).values(site).onConflictDoNothing().returning();
  return row ? { ...row, teamIds: [] } : null;
}

/** null when there is no such site. A taken key throws the unique violation. */
export async function updateSite(
  db: Tx,
  id: string,
  change: Partial<SiteColumns>,
): Promise<boolean> {
  const rows = await db
    .update(sites)
    .set(change)
    .where(eq(sites.id, id))
    .returning({ id: sites.id });
  return rows.length > 0;
}

/** The site's teams become exactly `teamIds`, tried in that order. */
export async function setSiteTeams(db: Tx, siteId: string, teamIds: string[]): Promise<void> {
  await db.delete(siteTeams).where(eq(siteTeams.siteId, siteId));
  if (teamIds.length === 0) return;
  await db
    .insert(siteTeams)
    .values(teamIds.map((teamId, position) => ({ siteId, teamId, position })));
}

export async function siteExists(db: Tx, id: string): Promise<boolean> {
  const [row] = await db.select({ id: sites.id }).from(sites).where(eq(sites.id, id));
  return row !== undefined;
}

/** Whether any visitor belongs to the site (a site with history is not deleted). */
export async function siteHasVisitors(db: Tx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: visitors.id })
    .from(visitors)
    .where(eq(visitors.siteId, id))
    .limit(1);
  return row !== undefined;
}

/** false when there was no such site (the default one is never deleted). */
export async function deleteSite(db: Tx, id: string): Promise<boolean> {
  const rows = await db
    .delete(sites)
    .where(sql`${sites.id} = ${id} and not ${sites.isDefault}`)
    .returning({ id: sites.id });
  return rows.length > 0;
}
