import { cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, rowsOf, type Database } from '../src/db/client.js';

export const testDatabaseKind = process.env.PARLEY_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

let counter = 0;

/** A database of this test file's own, copied from the migrated template. */
export async function openTestDatabase(): Promise<Database> {
  return testDatabaseKind === 'postgres' ? openPostgresCopy() : openPgliteCopy();
}

async function openPgliteCopy(): Promise<Database> {
  const dir = join(tmpdir(), `parley-test-${process.pid}-${Date.now()}-${counter++}`);
  cpSync(join(inject('pgliteTemplate'), 'pgdata'), dir, { recursive: true });
  const db = await openDatabase({ dataDir: dir });
  return {
    ...db,
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresCopy(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const name = `parley_t_${process.pid}_${Date.now()}_${counter++}`;
  await adminQuery(url, async (admin) => {
    // Two workers copying the template at the same instant may collide; a retry settles it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ url: target.toString(), dataDir: '', poolSize: 10 });
  return {
    ...db,
    close: async () => {
      await db.close();
      await adminQuery(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function adminQuery(url: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.end();
  }
}

/**
 * The tables a test empties: these, and every table that refers to one of them (as
 * `truncate … cascade` would), found once per database.
 */
const RESET_ROOTS = [
  'users',
  'sessions',
  'visitors',
  'page_views',
  'conversations',
  'messages',
  'message_days',
  'agent_reply_days',
  'canned_responses',
  'jobs',
  'password_resets',
  'teams',
  'sites',
];
const resetTables = new WeakMap<Database, Promise<string[]>>();

function tablesToReset(database: Database): Promise<string[]> {
  let tables = resetTables.get(database);
  if (!tables) {
    tables = (async () => {
      const rows = await rowsOf<{ relname: string }>(
        database.db,
        sql`
        with recursive closure(rel) as (
          select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relname in (${sql.join(
            RESET_ROOTS.map((t) => sql`${t}`),
            sql`, `,
          )})
          union
          select con.conrelid from pg_constraint con join closure on con.confrelid = closure.rel
          where con.contype = 'f'
        )
        select relname from pg_class where oid in (select rel from closure) order by 1`,
      );
      return rows.map((r) => r.relname);
    })();
    resetTables.set(database, tables);
  }
  return tables;
}

/**
 * Empties every table but settings' secret, between tests: as `truncate … cascade` of the
 * tables above would, but only those that hold rows, by `delete` with the foreign keys'
 * triggers off for the transaction. A test fills a few tables; truncating all fifty made new
 * files for each and its indexes: 130–290 ms a test on PGlite, against 15–30 ms, and a tenth
 * of the PGlite suite's CPU.
 */
export async function resetDatabase(database: Database): Promise<void> {
  const tables = await tablesToReset(database);
  await database.db.transaction(async (tx) => {
    const probe = sql.join(
      tables.map((t) => sql`select ${t} as t where exists (select 1 from ${sql.identifier(t)})`),
      sql` union all `,
    );
    const filled = await rowsOf<{ t: string }>(tx, probe);
    if (filled.length > 0) {
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const { t } of filled) await tx.execute(sql`delete from ${sql.identifier(t)}`);
    }
    // As migration 0018 leaves it: the default site, with the default widget.
    await tx.execute(
      sql`insert into sites (key, name, is_default) values ('default', 'Website', true)`,
    );
    await tx.execute(sql`delete from settings where key <> 'jwt_secret'`);
  });
}
