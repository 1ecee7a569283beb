import type { SqlSession } from './sql-session.js';

/** The WAL files a copy of the data directory needs, from the checkpoint on (inclusive). */
export type WalRange = { first: string; last: string };

/**
 * Writes every change to the data files (a checkpoint), and names the WAL a copy of the
 * folder needs to start from it: the file of the checkpoint's redo point up to the file being
 * written. Run alone on the embedded database (PGlite is one session, and nothing else may
 * write until the copy is made), the folder is then a consistent image that starts like one
 * after a crash, replaying next to nothing (docs/architecture.md "The embedded database").
 */
export async function checkpointForCopy(session: SqlSession): Promise<WalRange> {
  await session.query('CHECKPOINT');
  const [row] = await session.query<WalRange>(
    `SELECT redo_wal_file AS first, pg_walfile_name(pg_current_wal_insert_lsn()) AS last
       FROM pg_control_checkpoint()`,
  );
  if (!row) throw new Error('pg_control_checkpoint() returned nothing');
  return row;
}
