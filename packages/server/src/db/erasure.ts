import { sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { rowsOf } from './client.js';
import { erasureOrder, isPersonal, personalData, type Person } from './personal-data.js';
import { erasures } from './schema.js';

// Erasure by the map (db/personal-data.ts): every personal table's rows of the person go, in
// one transaction; the tombstones stay.

export type ErasedVisitor = { id: string; siteId: string };

/** The visitors, their conversations and every address they gave or showed is theirs. */
export async function personOf(
  tx: Tx,
  visitorIds: string[],
  opts: { lock: boolean } = { lock: true },
): Promise<{
  person: Person;
  visitors: ErasedVisitor[];
  conversations: Array<{ id: string; visitorId: string }>;
}> {
  const visitors = await rowsOf<{
    id: string;
    siteId: string;
    email: string | null;
    confirmed: string | null;
  }>(
    tx,
    sql`select id, site_id as "siteId", lower(email) as email, lower(confirmed_email) as confirmed
      from visitors where id = any(${`{${visitorIds.join(',')}}`}::uuid[])
      ${opts.lock ? sql`for update` : sql``}`,
  );
  const ids = visitors.map((v) => v.id);
  const conversations = await rowsOf<{ id: string; visitorId: string }>(
    tx,
    sql`select id, visitor_id as "visitorId" from conversations where visitor_id = any(${`{${ids.join(',')}}`}::uuid[])`,
  );
  const emails = new Set<string>();
  for (const v of visitors) for (const e of [v.email, v.confirmed]) if (e) emails.add(e);
  return {
    person: {
      visitorIds: ids,
      conversationIds: conversations.map((c) => c.id),
      emails: [...emails],
    },
    visitors: visitors.map((v) => ({ id: v.id, siteId: v.siteId })),
    conversations,
  };
}

/**
 * Deletes the person's rows from every personal table but those in `keep` (retention keeps the
 * expired conversations' rows, and deals with visitors itself); how many went from each.
 */
export async function eraseRows(
  tx: Tx,
  person: Person,
  opts: { keep?: readonly string[] } = {},
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of erasureOrder) {
    if (opts.keep?.includes(table)) continue;
    const entry = personalData[table];
    if (!entry || !isPersonal(entry)) throw new Error(`${table} is not a personal table`);
    const result = (await tx.execute(
      sql`delete from ${sql.identifier(table)} where ${entry.rows(person)}`,
    )) as unknown as { rowCount: number | null };
    counts[table] = result.rowCount ?? 0;
  }
  return counts;
}

export async function insertTombstones(
  tx: Tx,
  visitors: ErasedVisitor[],
  by: { id: string; name: string; tokenId: string | null },
  counts: Record<string, number>,
): Promise<Date> {
  const rows = await tx
    .insert(erasures)
    .values(
      visitors.map((v) => ({
        visitorId: v.id,
        siteId: v.siteId,
        erasedById: by.id,
        erasedByName: by.name,
        tokenId: by.tokenId,
        counts,
      })),
    )
    .returning({ at: erasures.erasedAt });
  return rows[0]?.at ?? new Date();
}

/** The visitors a request names: by id, by address (given or shown), by the site's own id. */
export async function findContactIds(
  db: Tx,
  ref: { visitorId?: string; email?: string; externalId?: string; siteId?: string },
): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db,
    ref.visitorId
      ? sql`select id from visitors where id = ${ref.visitorId}`
      : ref.email
        ? sql`select id from visitors
            where lower(email) = lower(${ref.email}) or lower(confirmed_email) = lower(${ref.email})`
        : sql`select id from visitors where external_id = ${ref.externalId ?? ''}
            and (${ref.siteId ?? null}::uuid is null or site_id = ${ref.siteId ?? null}::uuid)`,
  );
  return rows.map((r) => r.id);
}

/**
 * Everything the map finds of the person, table by table, each row as JSON (a message's stored
 * search vector left out: it is the text again, as the index keeps it).
 */
export async function exportRows(
  tx: Tx,
  person: Person,
): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const table of erasureOrder) {
    const entry = personalData[table];
    if (!entry || !isPersonal(entry)) throw new Error(`${table} is not a personal table`);
    const rows = await rowsOf<{ row: Record<string, unknown> }>(
      tx,
      sql`select to_jsonb(t) - 'search_vector' as row from ${sql.identifier(table)} t
        where ${entry.rows(person)}`,
    );
    out[table] = rows.map((r) => r.row);
  }
  return out;
}
