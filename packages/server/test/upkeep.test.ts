import { cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startServer, type ParleyServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, rowsOf, type Db } from '../src/db/client.js';
import { keepUp } from '../src/db/upkeep.js';
import { createLogger } from '../src/logger.js';
import { testDatabaseKind } from './database.js';

// PGlite has no autovacuum: Parley does its work (db/upkeep.ts, ops/upkeep.ts). This server
// opens its embedded database itself, as `npm start` does, from a copy of the template.
const dir = join(tmpdir(), `parley-upkeep-${process.pid}-${Date.now()}`);
let server: ParleyServer | undefined;
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const addVisitors = (db: Db, n: number) =>
  db.execute(sql`insert into visitors (site_id, name, email)
    select s.id, 'Visitor ' || g, 'visitor' || g || '@example.org'
    from generate_series(1, ${n}) g, (select id from sites where is_default) s`);

type VisitorsState = { rows: number; pages: number; allVisible: number; statistics: number };
const visitorsState = async (db: Db) => {
  const [state] = await rowsOf<VisitorsState>(
    db,
    sql`select c.reltuples::float8 as rows, c.relpages as pages, c.relallvisible as "allVisible",
      (select count(*) from pg_stats where tablename = 'visitors')::int as statistics
    from pg_class c where c.oid = 'visitors'::regclass`,
  );
  return state!;
};

describe.runIf(testDatabaseKind === 'pglite')('the embedded database, kept up by Parley', () => {
  // A fresh PGlite, 3,000 visitors and two upkeep runs: seconds alone, a minute on a busy machine.
  it(
    'analyzes at start what an earlier run wrote, then vacuums and analyzes as rows change',
    { timeout: 90_000 },
    async () => {
      cpSync(join(inject('pgliteTemplate'), 'pgdata'), dir, { recursive: true });
      // An earlier run of Parley wrote 3,000 visitors, and nothing ever analyzed them.
      const earlier = await openDatabase({ dataDir: dir });
      await addVisitors(earlier.db, 3_000);
      expect((await visitorsState(earlier.db)).statistics).toBe(0);
      await earlier.close();

      const config = loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
        DATA_DIR: dir,
      });
      server = await startServer(config, createLogger('silent', false));
      const { metrics } = server.ctx;
      const db = server.database.db;
      for (let i = 0; i < 200 && (await metrics.upkeepChecks.get()).values[0]?.value !== 1; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const metricsText = await (await fetch(`${server.url}/metrics`)).text();
      expect(metricsText).toMatch(/parley_db_upkeep_checks_total 1/);
      expect(metricsText).toMatch(
        /parley_db_upkeep_seconds_count\{table="visitors",operation="analyze"\} 1/,
      );
      const started = await visitorsState(db);
      expect(started.rows).toBe(3_000);
      expect(started.statistics).toBeGreaterThan(0);

      // Nothing changed since: nothing to do.
      expect(await keepUp(db, false)).toEqual([]);

      // 5,000 more: over a fifth of the table is new, and over a tenth changed.
      await addVisitors(db, 5_000);
      expect((await keepUp(db, false)).filter((u) => u.table === 'visitors')).toEqual([
        { table: 'visitors', operation: 'vacuum', seconds: expect.any(Number) },
        { table: 'visitors', operation: 'analyze', seconds: expect.any(Number) },
      ]);
      const grown = await visitorsState(db);
      expect(grown.rows).toBe(8_000);
      expect(grown.allVisible).toBe(grown.pages);
      expect(await keepUp(db, false)).toEqual([]);

      // Half of them gone: their rows are dead until a vacuum, which comes with the next check.
      await db.execute(sql`delete from visitors where name::text like 'Visitor 1%'`);
      const [{ left }] = (await rowsOf<{ left: number }>(
        db,
        sql`select count(*)::int as left from visitors`,
      )) as [{ left: number }];
      expect(left).toBeLessThan(8_000 - 1_700);
      expect(await keepUp(db, false)).toEqual([
        { table: 'visitors', operation: 'vacuum', seconds: expect.any(Number) },
        { table: 'visitors', operation: 'analyze', seconds: expect.any(Number) },
      ]);
      const [{ dead }] = (await rowsOf<{ dead: number }>(
        db,
        sql`select n_dead_tup::int as dead from pg_stat_user_tables where relname = 'visitors'`,
      )) as [{ dead: number }];
      expect(dead).toBe(0);
      expect((await visitorsState(db)).rows).toBe(left);
    },
  );
});
