import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './client.js';

/**
 * The embedded PGlite is PostgreSQL without its background processes: no autovacuum. Left
 * alone, its tables are never analyzed (the planner guesses every row count) and never
 * vacuumed (no visibility map, so an index-only scan reads the table too, and dead rows stay).
 * Parley does autovacuum's work itself, on autovacuum's default thresholds, one table per
 * statement. PostgreSQL elsewhere has autovacuum: this is for PGlite only.
 */

/** What PostgreSQL's statistics say of a table since its last vacuum and analyze. */
export type TableActivity = {
  table: string;
  /** Live rows as of the last vacuum or analyze; -1 when neither ever ran. */
  rows: number;
  /** Its size now (pg_class's relpages is only as of the last vacuum or analyze). */
  pages: number;
  allVisiblePages: number;
  deadRows: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
  /** Whether the planner has column statistics for it (kept across restarts). */
  analyzed: boolean;
};

export type Upkeep = { table: string; vacuum: boolean; analyze: boolean };

// autovacuum's defaults (postgresql.conf): a table is vacuumed once 20% of it (plus 50 rows) is
// dead or 20% (plus 1,000 rows) was inserted since, and analyzed once 10% (plus 50) changed.
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const INSERT_VACUUM_BASE = 1_000;
const INSERT_VACUUM_SCALE = 0.2;
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
/** A table this large, less than half of it marked all-visible, is vacuumed on the first check. */
const FIRST_CHECK_PAGES = 128;

/**
 * What a table needs now. The counters since the last vacuum and analyze live in memory and
 * start again at zero when PGlite does: the first check after a start also judges by what is
 * kept on disk (column statistics, the visibility map), so that work left over from before a
 * restart is not forgotten.
 */
export function upkeepDue(t: TableActivity, firstCheck: boolean): Upkeep | null {
  const rows = Math.max(t.rows, 0);
  const hasRows = t.pages > 0 || t.insertedSinceVacuum > 0 || t.modifiedSinceAnalyze > 0;
  const vacuum =
    t.deadRows > VACUUM_BASE + VACUUM_SCALE * rows ||
    t.insertedSinceVacuum > INSERT_VACUUM_BASE + INSERT_VACUUM_SCALE * rows ||
    (firstCheck && t.pages >= FIRST_CHECK_PAGES && t.allVisiblePages < t.pages / 2);
  const analyze =
    t.modifiedSinceAnalyze > ANALYZE_BASE + ANALYZE_SCALE * rows || (!t.analyzed && hasRows);
  return vacuum || analyze ? { table: t.table, vacuum, analyze } : null;
}

/** Parley's tables as the statistics see them. */
export async function tableActivity(db: Db): Promise<TableActivity[]> {
  // A session sends its counts to the statistics at most once a second, when idle: the counts
  // read below include everything done until now (PGlite is this one session).
  await db.execute(sql`select pg_stat_force_next_flush()`);
  const rows = await rowsOf<TableActivity>(
    db,
    sql`select s.relname as "table", c.reltuples::float8 as "rows",
      (pg_relation_size(s.relid) / current_setting('block_size')::int)::int as "pages",
      c.relallvisible as "allVisiblePages",
      s.n_dead_tup::float8 as "deadRows", s.n_ins_since_vacuum::float8 as "insertedSinceVacuum",
      s.n_mod_since_analyze::float8 as "modifiedSinceAnalyze",
      exists (select 1 from pg_statistic p where p.starelid = s.relid) as "analyzed"
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = 'public'
    order by s.relname`,
  );
  return rows;
}

export type UpkeepDone = { table: string; operation: 'vacuum' | 'analyze'; seconds: number };

/**
 * Every table's due upkeep, one statement at a time (VACUUM cannot run in a transaction), until
 * `stopping` says to stop; what was done, with how long each statement held the database. A
 * table's vacuum and analyze are two statements, so that on PGlite the chats' queries waiting
 * meanwhile go between them.
 */
export async function keepUp(
  db: Db,
  firstCheck: boolean,
  stopping: () => boolean = () => false,
): Promise<UpkeepDone[]> {
  const done: UpkeepDone[] = [];
  for (const activity of await tableActivity(db)) {
    const due = upkeepDue(activity, firstCheck);
    if (!due) continue;
    const table = sql.identifier(due.table);
    const statements = [
      ...(due.vacuum ? [['vacuum', sql`vacuum ${table}`] as const] : []),
      ...(due.analyze ? [['analyze', sql`analyze ${table}`] as const] : []),
    ];
    for (const [operation, statement] of statements) {
      if (stopping()) return done;
      const started = performance.now();
      await db.execute(statement);
      done.push({ table: due.table, operation, seconds: (performance.now() - started) / 1000 });
    }
  }
  return done;
}
