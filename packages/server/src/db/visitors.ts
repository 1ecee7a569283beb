import type { PageView, Visitor } from '@parley/protocol';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import { pageViews, visitors } from './schema.js';

export type VisitorRow = typeof visitors.$inferSelect;
type NewVisitor = typeof visitors.$inferInsert;

export const toVisitor = (r: VisitorRow): Visitor => ({
  id: r.id,
  siteId: r.siteId,
  name: r.name,
  email: r.email,
  browser: r.browser,
  os: r.os,
  ip: r.ip,
  currentUrl: r.currentUrl,
  currentTitle: r.currentTitle,
  online: r.online,
  firstSeenAt: r.firstSeenAt.toISOString(),
  lastSeenAt: r.lastSeenAt.toISOString(),
  visitStartedAt: r.visitStartedAt.toISOString(),
  attributes: r.attributes,
  externalId: r.externalId,
});

/** Every visitor is some site's: the caller names it. */
export async function insertVisitor(
  db: Tx,
  values: NewVisitor & { siteId: string },
): Promise<VisitorRow> {
  const [row] = await db.insert(visitors).values(values).returning();
  if (!row) throw new Error('Visitor insert returned nothing');
  return row;
}

export async function findVisitor(db: Tx, id: string): Promise<VisitorRow | null> {
  const [row] = await db.select().from(visitors).where(eq(visitors.id, id));
  return row ?? null;
}

/** Values or SQL expressions (of the row as it was) for the given columns. */
export async function updateVisitor(
  db: Tx,
  id: string,
  values: PgUpdateSetSource<typeof visitors>,
): Promise<VisitorRow | null> {
  const [row] = await db.update(visitors).set(values).where(eq(visitors.id, id)).returning();
  return row ?? null;
}

/** The visitor's attributes with `values` written over them (others are kept). */
export const mergedAttributes = (values: Record<string, string>) =>
  sql`${visitors.attributes} || ${JSON.stringify(values)}::jsonb`;

/** A visitor away this long who comes back starts a new visit. */
const VISIT_GAP = sql`interval '30 minutes'`;

/**
 * The visitor is here (a page load, a socket that connected): seen now, and a new visit if they
 * had been away longer than VISIT_GAP (while a socket is open they are not away).
 */
export async function markVisitorHere(
  db: Tx,
  id: string,
  values: Partial<NewVisitor> = {},
): Promise<VisitorRow | null> {
  return updateVisitor(db, id, {
    ...values,
    lastSeenAt: sql`now()`,
    visitStartedAt: sql`case when ${visitors.online} or ${visitors.lastSeenAt} > now() - ${VISIT_GAP}
      then ${visitors.visitStartedAt} else now() end`,
  });
}

export async function setAllVisitorsOffline(db: Tx): Promise<void> {
  await db.update(visitors).set({ online: false }).where(eq(visitors.online, true));
}

/** Newest seen first; the cursor is the last row's (lastSeenAt, id). */
export async function listVisitors(
  db: Tx,
  opts: { online?: boolean; siteId?: string; after?: KeysetPosition; limit: number },
): Promise<VisitorRow[]> {
  return db
    .select()
    .from(visitors)
    .where(
      and(
        opts.online === undefined ? undefined : eq(visitors.online, opts.online),
        opts.siteId ? eq(visitors.siteId, opts.siteId) : undefined,
        after(visitors.lastSeenAt, visitors.id, opts.after),
      ),
    )
    .orderBy(desc(visitors.lastSeenAt), desc(visitors.id))
    .limit(opts.limit);
}

export const toPageView = (r: typeof pageViews.$inferSelect): PageView => ({
  id: r.id,
  visitorId: r.visitorId,
  url: r.url,
  title: r.title,
  createdAt: r.createdAt.toISOString(),
});

/** The same page again this soon after is a reload (or the widget starting over), not a visit. */
const RELOAD_SECONDS = 30;

/**
 * Records a page view and makes it the visitor's current page, in one statement each. A view
 * of the page the visitor's latest view is of, within seconds, is not a new visit: it is not
 * listed twice.
 */
export async function recordPageView(
  db: Tx,
  visitorId: string,
  url: string,
  title: string,
): Promise<VisitorRow | null> {
  await db.execute(sql`
    insert into ${pageViews} (visitor_id, url, title)
    select ${visitorId}, ${url}, ${title}
    where not exists (
      select 1 from (
        select url, created_at from ${pageViews} where visitor_id = ${visitorId}
        order by created_at desc limit 1
      ) latest
      where latest.url = ${url} and latest.created_at > now() - make_interval(secs => ${RELOAD_SECONDS})
    )`);
  return updateVisitor(db, visitorId, {
    currentUrl: url,
    currentTitle: title,
    lastSeenAt: new Date(),
  });
}

export async function listPageViews(db: Tx, visitorId: string, limit = 100) {
  return db
    .select()
    .from(pageViews)
    .where(eq(pageViews.visitorId, visitorId))
    .orderBy(desc(pageViews.createdAt))
    .limit(limit);
}
