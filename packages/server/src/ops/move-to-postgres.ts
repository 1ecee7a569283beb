// `npm run move-to-postgres -- <postgres-url>`: the embedded database in DATA_DIR copied into an
// empty PostgreSQL database, checked table by table (docs/operations.md "Moving to PostgreSQL").
//
// Parley must be stopped: whatever a running server took after the copy would be lost when it
// restarts on PostgreSQL, so a pause would have to last until that restart anyway. Stopped, the
// tool claims DATA_DIR (no server starts on it meanwhile). On the target, the schema (Parley's
// own migrations) and every row go in one transaction, committed only once every table's rows
// and checksum match: a move that fails leaves the target as empty as it found it.
import { resolve } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.js';
import { MIGRATION_LOCK } from '../db/client.js';
import { askHolder, claimDataDir, holderOf } from '../db/embedded-claim.js';
import { migrationLevel, parleyMigrations, quoteIdent } from '../db/inventory.js';
import {
  applyMigrations,
  copySequences,
  copyTable,
  describeTarget,
  emptyTables,
  planTables,
  relationsIn,
  tableSum,
  useCanonicalText,
  withIndexesAfter,
  type TablePlan,
} from '../db/move.js';
import {
  openPglite,
  postgresSession,
  type OpenedPglite,
  type PostgresSession,
} from '../db/sql-session.js';
import {
  CliError,
  count,
  holdsDatabase,
  seconds,
  withoutPassword,
  type Say,
} from './cli-output.js';

// Rows per COPY: about 14 MB of a messages table's text at a time.
const BATCH_ROWS = 50_000;

export async function moveToPostgres(url: string, config: Config, say: Say): Promise<void> {
  if (!/^postgres(ql)?:\/\/./.test(url))
    throw new CliError(
      'Give the PostgreSQL database to move to as a URL: npm run move-to-postgres -- postgres://user:password@host:5432/parley',
    );
  const shown = withoutPassword(url);
  const dataDir = resolve(config.dataDir);
  if (!holdsDatabase(dataDir))
    throw new CliError(`There is no embedded database in DATA_DIR (${dataDir}) to move.`);
  const running = await askHolder(dataDir, { op: 'status' }, 5_000).catch((error: unknown) => {
    throw new CliError(
      `A process has ${dataDir} open but does not answer (${messageOf(error)}). Stop Parley, then move.`,
    );
  });
  if (running !== undefined) {
    const holder = holderOf(running);
    const who = holder ? `${holder.what} (process ${holder.pid})` : 'another process';
    throw new CliError(
      `${who.charAt(0).toUpperCase()}${who.slice(1)} has ${dataDir} open. ` +
        'Stop Parley first: the move copies a stopped database, so that nothing written after the copy is lost. ' +
        'Run the move again once it has stopped.',
    );
  }
  const started = performance.now();
  const claim = await claimDataDir(dataDir, { what: 'a move to PostgreSQL', pid: process.pid });
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  let opened: OpenedPglite | undefined;
  try {
    await client.connect().catch((error: unknown) => {
      throw new CliError(`Cannot connect to ${shown}: ${messageOf(error)}`);
    });
    const target = postgresSession(client);
    const { version, encoding } = await describeTarget(target);
    if (encoding !== 'UTF8')
      throw new CliError(
        `The target database's encoding is ${encoding}: Parley needs UTF8 (CREATE DATABASE parley ENCODING 'UTF8' TEMPLATE template0).`,
      );
    const found = await relationsIn(target);
    if (found.total > 0)
      throw new CliError(
        `The target database is not empty: it holds ${count(found.total)} tables and sequences in its public and drizzle schemas ` +
          `(${found.names.join(', ')}${found.total > found.names.length ? '…' : ''}). The move fills an empty database only. ` +
          'Give it a new one (CREATE DATABASE parley), or drop and create this one again.',
      );

    const source = await openPglite(dataDir);
    opened = source;
    const level = await migrationLevel(source);
    if (level.compared === 'behind')
      throw new CliError(
        'The embedded database is older than this Parley: start Parley on it once (it upgrades it at start), stop it, then move.',
      );
    if (level.compared === 'ahead')
      throw new CliError(
        'The embedded database was made by a newer Parley: upgrade this one first.',
      );
    await useCanonicalText(source, 'session');
    const plans = await planTables(source);
    say(`Moving the embedded database in ${dataDir} to ${shown} (PostgreSQL ${version}).`);
    say(
      `Parley is stopped. Creating the schema with Parley's ${level.applied} migrations, then copying ${plans.length} tables, in one transaction:`,
    );
    const copyStarted = performance.now();
    await inTransaction(target, () => copyAll(source, target, plans, say));
    const copyMs = performance.now() - copyStarted;

    // Fresh rows have neither statistics for the planner nor a visibility map yet.
    const analyzeStarted = performance.now();
    for (const plan of plans)
      await target.query(`VACUUM (ANALYZE) public.${quoteIdent(plan.name)}`);
    say(
      `Copied and checked in ${seconds(copyMs)}, vacuumed and analyzed in ${seconds(performance.now() - analyzeStarted)}; ` +
        `${seconds(performance.now() - started)} in all.`,
    );
    nextSteps(dataDir, shown, config, say);
  } finally {
    await opened?.close();
    await client.end().catch(() => {});
    await claim.release();
  }
}

async function inTransaction(target: PostgresSession, work: () => Promise<void>) {
  await target.query('BEGIN');
  try {
    await work();
    await target.query('COMMIT');
  } catch (error) {
    await target.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

async function copyAll(
  source: OpenedPglite,
  target: PostgresSession,
  plans: TablePlan[],
  say: Say,
): Promise<void> {
  await useCanonicalText(target, 'local');
  // A server starting on the target meanwhile waits here before it migrates, then finds
  // everything done.
  await target.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
  await applyMigrations(target, parleyMigrations());
  const targetPlans = await planTables(target);
  const differing = plans.filter((p) => {
    const t = targetPlans.find((q) => q.name === p.name);
    return !t || t.columns.join() !== p.columns.join() || t.types.join() !== p.types.join();
  });
  if (differing.length > 0 || targetPlans.length !== plans.length)
    throw new CliError(
      `Parley's migrations made other tables on PostgreSQL than the embedded database has (${differing.map((p) => p.name).join(', ') || 'a table more'}).`,
    );
  // The rows the migrations put there (the default site…) are replaced by the copied ones.
  await emptyTables(
    target,
    plans.map((p) => p.name),
  );
  const width = Math.max(...plans.map((p) => p.name.length));
  say(`  ${'table'.padEnd(width)}  ${'rows'.padStart(9)}  checksum: embedded = PostgreSQL`);
  let mismatches = 0;
  let rows = 0;
  for (const plan of plans) {
    const tableStarted = performance.now();
    const before = await tableSum(source, plan);
    await withIndexesAfter(target, plan.name, () => copyTable(source, target, plan, BATCH_ROWS));
    const after = await tableSum(target, plan);
    const same = before.rows === after.rows && before.checksum === after.checksum;
    if (!same) mismatches++;
    rows += after.rows;
    say(
      `  ${plan.name.padEnd(width)}  ${count(after.rows).padStart(9)}  ` +
        `${before.checksum.slice(0, 12)} = ${after.checksum.slice(0, 12)}  ` +
        (same ? 'ok' : `MISMATCH (${count(before.rows)} rows in the embedded database)`) +
        `  ${seconds(performance.now() - tableStarted)}`,
    );
  }
  await copySequences(source, target);
  if (mismatches > 0)
    throw new CliError(
      `${mismatches} table(s) differ after the copy: nothing was committed, the target is empty again.`,
    );
  say(`  All ${plans.length} tables match: ${count(rows)} rows, row counts and checksums equal.`);
}

function nextSteps(dataDir: string, shown: string, config: Config, say: Say): void {
  say('');
  say('Next:');
  say(
    `  1. Start Parley with DATABASE_URL set to the URL you gave (${shown}); keep DATA_DIR=${dataDir}` +
      (config.s3 ? '.' : ', where the files stay.'),
  );
  say(
    config.s3
      ? '  2. Files are in S3 already (S3_BUCKET): every instance reaches them.'
      : `  2. To run several instances, move the files to S3: copy ${dataDir}/files into a bucket with the same keys ` +
          `(aws s3 cp --recursive ${dataDir}/files s3://<bucket>/) and set S3_BUCKET, S3_REGION and, off AWS, ` +
          'S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (README). One instance may keep them on disk.',
  );
  say(
    '  3. Keep the embedded database until you are satisfied: Parley no longer writes to it, and it is your way back.',
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
