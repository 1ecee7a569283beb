// `npm run backup -- <file>`: one file holding a consistent copy of the embedded database in
// DATA_DIR and of its files, taken while chats go on (docs/operations.md "Backups").
import { existsSync, realpathSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Config } from '../config.js';
import { askHolder, claimDataDir } from '../db/embedded-claim.js';
import { migrationLevel, rowCounts } from '../db/inventory.js';
import { openPglite } from '../db/sql-session.js';
import { writeBackup, type Manifest } from './backup-archive.js';
import {
  CliError,
  count,
  fileCount,
  holdsDatabase,
  parleyVersion,
  seconds,
  size,
  type Say,
} from './cli-output.js';
import { SnapshotAnswer } from './control.js';
import { isSnapshotPlace, snapshotDataDir, snapshotPlace } from './snapshot.js';

/** A snapshot staged in DATA_DIR/control, and how it was taken. */
type Staged = {
  dir: string;
  takenAt: string;
  source: Manifest['source'];
  heldMs: number;
  files: Manifest['files'];
  /** Frees DATA_DIR when this process took the snapshot itself. */
  release?: () => Promise<void>;
};

// A snapshot of a large database takes a while to copy; past this the server is stuck.
const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;
const STATUS_TIMEOUT_MS = 5_000;

export async function backup(file: string, config: Config, say: Say): Promise<void> {
  if (config.databaseUrl)
    throw new CliError(
      "DATABASE_URL is set: Parley's data is in PostgreSQL. Back it up with pg_dump (docs/operations.md).",
    );
  const dataDir = resolve(config.dataDir);
  const target = resolve(file);
  if (!holdsDatabase(dataDir))
    throw new CliError(`There is no embedded database in DATA_DIR (${dataDir}).`);
  if (existsSync(target))
    throw new CliError(`${target} exists already: a backup never overwrites a file.`);
  if (existsSync(`${target}.partial`))
    throw new CliError(
      `${target}.partial exists: a backup to this name did not finish. Remove it, or choose another name.`,
    );
  if (!statSync(dirname(target), { throwIfNoEntry: false })?.isDirectory())
    throw new CliError(`There is no folder ${dirname(target)} to write the backup in.`);
  for (const inner of ['files', 'control'])
    if (target.startsWith(join(dataDir, inner) + sep))
      throw new CliError(`Write the backup outside ${join(dataDir, inner)}.`);

  const started = performance.now();
  const staged = await stage(dataDir, config);
  try {
    say(
      staged.source === 'running server'
        ? `Parley is running on ${dataDir}: it held the database ${seconds(staged.heldMs)} for a consistent snapshot, and chats went on.`
        : `Parley is not running on ${dataDir}: the backup opened the database itself.`,
    );
    // The copy is opened once, here: it starts as after a crash (replaying next to nothing),
    // its rows are counted for the manifest, and it closes cleanly, so a restore starts at once.
    const copy = await openPglite(join(staged.dir, 'database'));
    let tables: Record<string, number>;
    let level: Awaited<ReturnType<typeof migrationLevel>>;
    try {
      tables = await rowCounts(copy);
      level = await migrationLevel(copy);
    } finally {
      await copy.close();
    }
    const manifest: Manifest = {
      format: 'parley-backup',
      formatVersion: 1,
      parleyVersion,
      createdAt: staged.takenAt,
      source: staged.source,
      heldMs: staged.heldMs,
      migrations: { applied: level.applied, latest: level.latest },
      tables,
      files: staged.files,
    };
    const partial = `${target}.partial`;
    const bytes = await writeBackup(partial, manifest, staged.dir).catch(async (error: unknown) => {
      await rm(partial, { force: true });
      throw error;
    });
    await rename(partial, target);
    const rows = Object.values(tables).reduce((a, b) => a + b, 0);
    const files =
      staged.files.store === 's3' ? 'files are in S3, not in the backup' : fileCount(staged.files);
    say(
      `Wrote ${target} (${size(bytes)}) in ${seconds(performance.now() - started)}: ` +
        `${Object.keys(tables).length} tables, ${count(rows)} rows, ${files}; ` +
        `migration ${level.latest ?? level.applied}.`,
    );
    say(`Restore it into a new folder with: DATA_DIR=<folder> npm run restore -- ${target}`);
  } finally {
    await rm(staged.dir, { recursive: true, force: true });
    await staged.release?.();
  }
}

/** Asks the server that has DATA_DIR open for a snapshot, or, when none has, takes one. */
async function stage(dataDir: string, config: Config): Promise<Staged> {
  const unreachable = (error: unknown) => {
    throw new CliError(
      `Parley has ${dataDir} open (its control socket is there) but cannot be reached: ` +
        `${error instanceof Error ? error.message : String(error)}. Is it stuck? Restart it and try again.`,
    );
  };
  // A quick question first: a stuck server is told apart at once from a long snapshot.
  const running = await askHolder(dataDir, { op: 'status' }, STATUS_TIMEOUT_MS).catch(unreachable);
  if (running === undefined) return stageStopped(dataDir, config);
  const answer = await askHolder(dataDir, { op: 'snapshot' }, SNAPSHOT_TIMEOUT_MS).catch(
    unreachable,
  );
  // It stopped in between: no server holds DATA_DIR now.
  if (answer === undefined) return stageStopped(dataDir, config);
  const parsed = SnapshotAnswer.safeParse(answer);
  if (!parsed.success) throw new CliError(`The process that has ${dataDir} open answered oddly.`);
  if (!parsed.data.ok) throw new CliError(`No snapshot: ${parsed.data.error}.`);
  const { dir } = parsed.data;
  // Removed once packed: it must be a snapshot in DATA_DIR/control, nothing else.
  const control = realpathSync(join(dataDir, 'control'));
  if (!isSnapshotPlace(join(realpathSync(dirname(dir)), basename(dir)), control))
    throw new CliError(`The server staged its snapshot somewhere unexpected (${dir}).`);
  return {
    dir,
    takenAt: parsed.data.takenAt,
    source: 'running server',
    heldMs: parsed.data.heldMs,
    files: { store: parsed.data.filesStore, ...parsed.data.files },
  };
}

/** No server runs: DATA_DIR is claimed (no server starts meanwhile) and copied here. */
async function stageStopped(dataDir: string, config: Config): Promise<Staged> {
  const claim = await claimDataDir(dataDir, { what: 'a backup', pid: process.pid });
  const dir = await snapshotPlace(claim.controlDir);
  try {
    const database = await openPglite(dataDir);
    try {
      const facts = await snapshotDataDir((work) => work(database), dataDir, dir, {
        localFiles: !config.s3,
      });
      return {
        dir,
        takenAt: facts.takenAt,
        source: 'stopped database',
        heldMs: facts.heldMs,
        files: { store: config.s3 ? 's3' : 'local', ...facts.files },
        release: () => claim.release(),
      };
    } finally {
      await database.close();
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    await claim.release();
    throw error;
  }
}
