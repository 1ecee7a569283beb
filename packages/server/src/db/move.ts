// The statements of the move from the embedded database to PostgreSQL (ops/move-to-postgres.ts):
// what the target holds, Parley's schema made by its own migrations, each table copied with
// COPY in batches, and a checksum of each table that both sides compute the same way.
import { quoteIdent, tableNames, type Migration } from './inventory.js';
import type { PgliteSession, PostgresSession, SqlSession } from './sql-session.js';

/** A table as the copy and the checksum need it. */
export type TablePlan = {
  name: string;
  /** Columns a copy writes, in order: every stored column but generated ones. */
  columns: string[];
  /** Each column's type, to compare both sides' schemas. */
  types: string[];
  /** ORDER BY: the primary key (text compared byte by byte), or the whole row's text. */
  order: string;
};

/**
 * Settings under which every value prints the same on both sides (a timestamp's zone, a
 * float's digits), so that both compute the same checksum. `SET LOCAL` inside a transaction.
 */
export async function useCanonicalText(session: SqlSession, scope: 'session' | 'local') {
  const set = scope === 'local' ? 'SET LOCAL' : 'SET';
  for (const setting of [
    "TimeZone = 'UTC'",
    "DateStyle = 'ISO, MDY'",
    "IntervalStyle = 'postgres'",
    'extra_float_digits = 1',
    "bytea_output = 'hex'",
    // The checksums sort a table's rows, and the target builds indexes: in memory.
    "work_mem = '64MB'",
    "maintenance_work_mem = '256MB'",
  ])
    await session.query(`${set} ${setting}`);
}

/**
 * Parley's tables in an order where each comes after every table it refers to (so rows are
 * copied before the rows that refer to them), with what copying and checking each needs.
 */
export async function planTables(session: SqlSession): Promise<TablePlan[]> {
  const columns = await session.query<{
    table: string;
    column: string;
    type: string;
    generated: boolean;
    collatable: boolean;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attgenerated <> '' AS generated, a.attcollation <> 0 AS collatable
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0
        AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const keys = await session.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND i.indisprimary
      ORDER BY c.relname, k.position`,
  );
  const references = await session.query<{ table: string; refers: string }>(
    `SELECT DISTINCT c.relname AS table, r.relname AS refers
       FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid
       JOIN pg_class r ON r.oid = f.confrelid
      WHERE f.contype = 'f' AND f.connamespace = 'public'::regnamespace
        AND r.relnamespace = 'public'::regnamespace AND r.oid <> c.oid`,
  );
  const plans = new Map<string, TablePlan>();
  for (const name of await tableNames(session)) {
    const own = columns.filter((c) => c.table === name && !c.generated);
    const collatable = new Set(own.filter((c) => c.collatable).map((c) => c.column));
    const key = keys.filter((k) => k.table === name).map((k) => k.column);
    const rowText = `row(${own.map((c) => quoteIdent(c.column)).join(', ')})::text`;
    plans.set(name, {
      name,
      columns: own.map((c) => c.column),
      types: own.map((c) => c.type),
      order:
        key.length > 0
          ? key.map((k) => quoteIdent(k) + (collatable.has(k) ? ' COLLATE "C"' : '')).join(', ')
          : `${rowText} COLLATE "C"`,
    });
  }
  return inReferenceOrder(plans, references);
}

function inReferenceOrder(
  plans: Map<string, TablePlan>,
  references: Array<{ table: string; refers: string }>,
): TablePlan[] {
  const ordered: TablePlan[] = [];
  const placed = new Set<string>();
  while (ordered.length < plans.size) {
    const ready = [...plans.values()].filter(
      (p) =>
        !placed.has(p.name) && references.every((r) => r.table !== p.name || placed.has(r.refers)),
    );
    if (ready.length === 0) throw new Error('the tables refer to one another in a circle');
    for (const plan of ready) {
      ordered.push(plan);
      placed.add(plan.name);
    }
  }
  return ordered;
}

/**
 * What the database holds where Parley would write (schemas `public` and `drizzle`): how many
 * tables, views and sequences, and the names of the first `limit`. Other schemas (a provider's
 * own) and what an extension installed are not Parley's concern.
 */
export async function relationsIn(
  session: SqlSession,
  limit = 3,
): Promise<{ total: number; names: string[] }> {
  const rows = await session.query<{ name: string; total: string }>(
    `SELECT n.nspname || '.' || c.relname AS name, count(*) OVER ()::text AS total
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'drizzle') AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                           AND d.deptype = 'e')
      ORDER BY c.relkind = 'S', 1 LIMIT ${Number(limit)}`,
  );
  return { total: Number(rows[0]?.total ?? 0), names: rows.map((r) => r.name) };
}

/** The server's version and the database's encoding. */
export async function describeTarget(
  session: SqlSession,
): Promise<{ version: string; encoding: string }> {
  const [row] = await session.query<{ version: string; encoding: string }>(
    `SELECT current_setting('server_version') AS version,
            pg_encoding_to_char(encoding) AS encoding
       FROM pg_database WHERE datname = current_database()`,
  );
  return row ?? { version: 'unknown', encoding: 'unknown' };
}

/**
 * Applies `migrations` in the caller's transaction and records them as drizzle does (the
 * same table, the same rows), so that a server started on the database finds them applied.
 * Drizzle's own migrator commits a transaction of its own; the move's copy must share one.
 */
export async function applyMigrations(session: SqlSession, migrations: Migration[]) {
  await session.query('CREATE SCHEMA IF NOT EXISTS "drizzle"');
  await session.query(`CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (
    id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
  for (const migration of migrations) {
    for (const statement of migration.statements) await session.query(statement);
    if (!/^[0-9a-f]+$/.test(migration.hash)) throw new Error(`bad hash of ${migration.tag}`);
    await session.query(
      `INSERT INTO "drizzle"."__drizzle_migrations" ("hash", "created_at")
       VALUES ('${migration.hash}', ${Number(migration.when)})`,
    );
  }
}

/** Removes every row of these tables (what the migrations put there, before a copy). */
export async function emptyTables(session: SqlSession, names: string[]) {
  if (names.length === 0) return;
  await session.query(`TRUNCATE ${names.map((n) => `public.${quoteIdent(n)}`).join(', ')}`);
}

/**
 * Copies one table, `batch` rows at a time in key order, with COPY's text format on both
 * sides (what pg_dump uses). The source is not written meanwhile, so the batches are stable.
 * Returns the rows copied.
 */
export async function copyTable(
  source: PgliteSession,
  target: PostgresSession,
  plan: TablePlan,
  batch: number,
): Promise<number> {
  const table = `public.${quoteIdent(plan.name)}`;
  const columns = plan.columns.map(quoteIdent).join(', ');
  let copied = 0;
  for (;;) {
    const data = await source.copyOut(
      `COPY (SELECT ${columns} FROM ${table} ORDER BY ${plan.order}
             LIMIT ${Number(batch)} OFFSET ${copied}) TO '/dev/blob'`,
    );
    // One line per row: a newline inside a value is written as \n.
    let rows = 0;
    for (let at = data.indexOf(0x0a); at !== -1; at = data.indexOf(0x0a, at + 1)) rows++;
    if (rows > 0) await target.copyIn(`COPY ${table} (${columns}) FROM STDIN`, data);
    copied += rows;
    if (rows < batch) return copied;
  }
}

/**
 * Runs `work` (a copy into `table`) with the table's indexes that back no constraint dropped,
 * and builds them again after it, in bulk, as pg_restore does: at 400,000 messages, a third
 * less time than keeping five indexes (one of them the search's GIN) up to date row by row.
 */
export async function withIndexesAfter<T>(
  session: SqlSession,
  table: string,
  work: () => Promise<T>,
): Promise<T> {
  const indexes = await session.query<{ name: string; definition: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name,
            pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indrelid = '${`public.${quoteIdent(table)}`.replaceAll("'", "''")}'::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
  );
  for (const index of indexes) await session.query(`DROP INDEX ${index.name}`);
  const result = await work();
  for (const index of indexes) await session.query(index.definition);
  return result;
}

/** A table's rows and a checksum of them: the md5 of each row's text, in key order. */
export type TableSum = { rows: number; checksum: string };

export async function tableSum(session: SqlSession, plan: TablePlan): Promise<TableSum> {
  const rowText = `row(${plan.columns.map(quoteIdent).join(', ')})::text`;
  const [row] = await session.query<{ rows: string; checksum: string }>(
    `SELECT count(*)::text AS rows,
            md5(coalesce(string_agg(md5(${rowText}), '' ORDER BY ${plan.order}), '')) AS checksum
       FROM public.${quoteIdent(plan.name)}`,
  );
  return { rows: Number(row?.rows ?? 0), checksum: row?.checksum ?? '' };
}

/** Sets each sequence of Parley's tables on the target where the source's stands. */
export async function copySequences(source: SqlSession, target: SqlSession): Promise<number> {
  const sequences = await source.query<{ name: string; value: string | null }>(
    `SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) AS name,
            last_value::text AS value
       FROM pg_sequences WHERE schemaname = 'public'`,
  );
  for (const { name, value } of sequences) {
    if (value === null) continue; // never used: it starts where the migrations left it
    await target.query(`SELECT setval('${name.replaceAll("'", "''")}', ${BigInt(value)}, true)`);
  }
  return sequences.length;
}
