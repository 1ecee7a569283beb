// What a database holds, as the operations tools report and compare it: its tables and their
// rows, and the migrations applied to it. The same statements read PGlite and PostgreSQL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { z } from 'zod';
import { migrationsFolder } from './client.js';
import type { SqlSession } from './sql-session.js';

/** One of this Parley's migrations, as drizzle applies it and records it. */
export type Migration = { tag: string; when: number; hash: string; statements: string[] };

const Journal = z.object({ entries: z.array(z.object({ tag: z.string(), when: z.number() })) });

/** This Parley's migrations, in order: the files a server applies at start. */
export function parleyMigrations(): Migration[] {
  const journal = Journal.parse(
    JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')),
  );
  const files = readMigrationFiles({ migrationsFolder });
  return journal.entries.map((entry, i) => ({
    tag: entry.tag,
    when: entry.when,
    hash: files[i]?.hash ?? '',
    statements: files[i]?.sql ?? [],
  }));
}

/** Where a database stands against this Parley's migrations. */
export type MigrationLevel = {
  applied: number;
  /** The tag of the last migration applied, when this Parley knows it. */
  latest: string | undefined;
  /** `ahead`: it was migrated by a newer Parley than this one. */
  compared: 'same' | 'behind' | 'ahead';
};

/**
 * The migrations applied to a database, by drizzle's own record of them (a migration is
 * applied when its `when` is after the last one recorded, so that decides the level).
 */
export async function migrationLevel(session: SqlSession): Promise<MigrationLevel> {
  const [recorded] = await session.query<{ present: boolean }>(
    `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  const rows = recorded?.present
    ? await session.query<{ created_at: string }>(
        'SELECT created_at::text FROM drizzle.__drizzle_migrations ORDER BY created_at',
      )
    : [];
  const known = parleyMigrations();
  const last = Number(rows.at(-1)?.created_at ?? 0);
  const ours = known.at(-1)?.when ?? 0;
  return {
    applied: rows.length,
    latest: known.find((m) => m.when === last)?.tag,
    compared: last === ours ? 'same' : last < ours ? 'behind' : 'ahead',
  };
}

/** Parley's tables (schema public), by name. */
export async function tableNames(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname COLLATE "C"`,
  );
  return rows.map((r) => r.name);
}

/** How many rows each of Parley's tables holds. */
export async function rowCounts(session: SqlSession): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(session)) {
    const [row] = await session.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM public.${quoteIdent(name)}`,
    );
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** An identifier as SQL text, whatever it holds. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
