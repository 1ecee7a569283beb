import { cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';

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

/** Empties every table but settings' secret, between tests. */
export async function resetDatabase(database: Database): Promise<void> {
  await database.db.execute(sql`truncate users, sessions, visitors, page_views, conversations,
    messages, message_days, agent_reply_days, canned_responses, jobs, password_resets, teams,
    sites restart identity cascade`);
  // As migration 0018 leaves it: the default site, with the default widget.
  await database.db.execute(
    sql`insert into sites (key, name, is_default) values ('default', 'Website', true)`,
  );
  await database.db.execute(sql`delete from settings where key <> 'jwt_secret'`);
}
