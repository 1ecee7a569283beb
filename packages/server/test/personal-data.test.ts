import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../src/db/client.js';
import { erasureOrder, isPersonal, personalData, type DataMap } from '../src/db/personal-data.js';
import { useServer } from './harness.js';

// The map of personal data (src/db/personal-data.ts) against the database the migrations made:
// every table is declared, and every table that refers to a visitor is declared as holding
// something about them, with a way to find their rows that exists. A migration that adds a table
// fails here until the map says what it holds (issue 35).
const server = useServer({ shared: true });

type Column = { table: string; column: string; type: string };

/** Columns that name a visitor: a foreign key to them, or a name that says so. */
const VISITOR_COLUMN = /^(visitor_id|uploader_id|sender_id)$/;

async function problems(db: Db, map: DataMap): Promise<string[]> {
  const columns = await rowsOf<Column>(
    db,
    sql`select table_name as "table", column_name as "column", data_type as "type"
      from information_schema.columns where table_schema = 'public'`,
  );
  const references = await rowsOf<{ table: string }>(
    db,
    sql`select distinct c.conrelid::regclass::text as "table" from pg_constraint c
      where c.contype = 'f' and c.confrelid = 'visitors'::regclass`,
  );
  const tables = [...new Set(columns.map((c) => c.table))].sort();
  const refersToVisitor = new Set([
    ...references.map((r) => r.table),
    ...columns.filter((c) => VISITOR_COLUMN.test(c.column)).map((c) => c.table),
  ]);
  const found: string[] = [];
  for (const table of tables) {
    const entry = map[table];
    if (!entry) {
      found.push(`${table}: not in the map`);
      continue;
    }
    // A tombstone (`keeps`) refers to the visitor it outlives, on purpose.
    if (refersToVisitor.has(table) && 'none' in entry) {
      found.push(`${table}: refers to a visitor, but the map says it holds nothing about one`);
    }
    if (isPersonal(entry)) {
      const named =
        'visitorColumn' in entry.reach
          ? entry.reach.visitorColumn
          : 'conversationColumn' in entry.reach
            ? entry.reach.conversationColumn
            : null;
      if (named && !columns.some((c) => c.table === table && c.column === named)) {
        found.push(`${table}: the map finds rows by ${named}, which it has not`);
      }
    }
  }
  for (const table of Object.keys(map)) {
    if (!tables.includes(table)) found.push(`${table}: in the map, but no such table`);
  }
  return found;
}

describe('the map of personal data', () => {
  it('declares every table, and every table that refers to a visitor as personal', async () => {
    // Every personal table is deleted from, in an order that names each once.
    const personal = Object.entries(personalData).filter(([, entry]) => isPersonal(entry));
    expect([...erasureOrder].sort()).toEqual(personal.map(([table]) => table).sort());
    expect(await problems(server.database.db, personalData)).toEqual([]);
    // Email addresses are found too: every table with a column for one is declared.
    const withEmail = await rowsOf<{ table: string }>(
      server.database.db,
      sql`select distinct table_name as "table" from information_schema.columns
        where table_schema = 'public' and column_name like '%email%' order by 1`,
    );
    expect(withEmail.map((r) => r.table).filter((t) => !(t in personalData))).toEqual([]);
  });

  it('fails for a new table that refers to a visitor, until the map declares it', async () => {
    const db = server.database.db;
    await db.execute(sql`create table contact_notes (
      id uuid primary key, visitor_id uuid references visitors(id), note text)`);
    try {
      expect(await problems(db, personalData)).toEqual(['contact_notes: not in the map']);
      expect(await problems(db, { ...personalData, contact_notes: { none: 'notes' } })).toEqual([
        'contact_notes: refers to a visitor, but the map says it holds nothing about one',
      ]);
      expect(
        await problems(db, {
          ...personalData,
          contact_notes: {
            holds: 'notes about them',
            reach: { visitorColumn: 'visitor' },
            rows: () => sql`false`,
          },
        }),
      ).toEqual(['contact_notes: the map finds rows by visitor, which it has not']);
      expect(
        await problems(db, {
          ...personalData,
          contact_notes: {
            holds: 'notes about them',
            reach: { visitorColumn: 'visitor_id' },
            rows: () => sql`false`,
          },
        }),
      ).toEqual([]);
    } finally {
      await db.execute(sql`drop table contact_notes`);
    }
  });
});
