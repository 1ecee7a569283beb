import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { conversations, messages, pageViews, visitors } from './schema.js';
import type { VisitorRow } from './visitors.js';

type Details = { name?: string; email?: string };

/**
 * The verified visitor of the site's id `externalId` on that site, if there is one (a unique
 * index): each website's ids are its own.
 */
export async function findVisitorByExternalId(
  db: Tx,
  siteId: string,
  externalId: string,
): Promise<VisitorRow | null> {
  const [row] = await db
    .select()
    .from(visitors)
    .where(and(eq(visitors.siteId, siteId), eq(visitors.externalId, externalId)));
  return row ?? null;
}

/**
 * An anonymous visitor becomes the verified one of `externalId`, keeping its history. Null
 * when it is no longer anonymous (another request was first); a second visitor taking the same
 * id fails on the unique index.
 */
export async function claimExternalId(
  db: Tx,
  visitorId: string,
  externalId: string,
  details: Details,
): Promise<VisitorRow | null> {
  const [row] = await db
    .update(visitors)
    .set({ externalId, ...details })
    .where(and(eq(visitors.id, visitorId), isNull(visitors.externalId)))
    .returning();
  return row ?? null;
}

/**
 * What an anonymous visitor did on this browser goes to the verified visitor it turned out to
 * be: its closed conversations, its active one unless the verified visitor has one already
 * (one active conversation per visitor), its page views, and its attributes where the verified
 * visitor has none of that key. Returns the ids of the conversations moved.
 */
export async function moveVisitorHistory(tx: Tx, from: string, to: string): Promise<string[]> {
  const moved = await tx
    .update(conversations)
    .set({ visitorId: to })
    .where(
      and(
        eq(conversations.visitorId, from),
        sql`(${conversations.status} = 'closed' or not exists (
          select 1 from ${conversations} c where c.visitor_id = ${to} and c.status <> 'closed'))`,
      ),
    )
    .returning({ id: conversations.id });
  const ids = moved.map((c) => c.id);
  // A resend of the visitor's outbox is recognised by its sender: it is the verified one now.
  if (ids.length)
    await tx
      .update(messages)
      .set({ senderId: to })
      .where(
        and(
          inArray(messages.conversationId, ids),
          eq(messages.sender, 'visitor'),
          eq(messages.senderId, from),
        ),
      );
  await tx.update(pageViews).set({ visitorId: to }).where(eq(pageViews.visitorId, from));
  await tx
    .update(visitors)
    .set({
      attributes: sql`(select a.attributes from ${visitors} a where a.id = ${from}) || ${visitors.attributes}`,
    })
    .where(eq(visitors.id, to));
  return ids;
}

/**
 * Sets the site's attributes (null removes a key) unless the visitor would then have more than
 * `max`: checked and written in one statement. Null when refused or the visitor is gone.
 */
export async function setVisitorAttributes(
  db: Tx,
  visitorId: string,
  values: Record<string, string | null>,
  max: number,
): Promise<VisitorRow | null> {
  const entries = Object.entries(values);
  const removed = JSON.stringify(entries.filter(([, v]) => v === null).map(([k]) => k));
  const kept = JSON.stringify(Object.fromEntries(entries.filter(([, v]) => v !== null)));
  const merged = sql`((${visitors.attributes} - array(select jsonb_array_elements_text(${removed}::jsonb))) || ${kept}::jsonb)`;
  const [row] = await db
    .update(visitors)
    .set({ attributes: merged })
    .where(
      and(
        eq(visitors.id, visitorId),
        sql`(select count(*) from jsonb_object_keys(${merged})) <= ${max}`,
      ),
    )
    .returning();
  return row ?? null;
}
