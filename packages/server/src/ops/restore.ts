// `npm run restore -- <file>`: a new DATA_DIR made from a backup (ops/backup.ts), checked
// against the backup's manifest before it is left in place (docs/operations.md "Backups").
import { statSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { claimDataDir } from '../db/embedded-claim.js';
import { parleyMigrations, rowCounts } from '../db/inventory.js';
import { openPglite } from '../db/sql-session.js';
import { readBackup, type Manifest } from './backup-archive.js';
import {
  CliError,
  count,
  entriesOf,
  fileCount,
  holdsDatabase,
  seconds,
  type Say,
} from './cli-output.js';

export async function restore(file: string, config: Config, say: Say): Promise<void> {
  if (config.databaseUrl)
    throw new CliError(
      'DATABASE_URL is set: a restore makes an embedded database in DATA_DIR. Unset it to restore one.',
    );
  const source = resolve(file);
  if (!statSync(source, { throwIfNoEntry: false })?.isFile())
    throw new CliError(`There is no file ${source}.`);
  const dataDir = resolve(config.dataDir);
  if (holdsDatabase(dataDir))
    throw new CliError(
      `DATA_DIR (${dataDir}) already holds a database: a restore makes a new one. ` +
        'Restore into an empty folder (DATA_DIR=<folder> npm run restore -- <file>), or move this one away first.',
    );
  const before = await entriesOf(dataDir);
  if (before.length > 0)
    throw new CliError(
      `DATA_DIR (${dataDir}) is not empty (it holds ${before.slice(0, 3).join(', ')}): restore into an empty folder.`,
    );

  const started = performance.now();
  const made = statSync(dataDir, { throwIfNoEntry: false }) === undefined;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Held until the restore is checked: a server started meanwhile is turned away.
  const claim = await claimDataDir(dataDir, { what: 'a restore', pid: process.pid });
  let restored = false;
  try {
    const manifest = await readBackup(source, acceptable, (name) =>
      name.startsWith('database')
        ? join(dataDir, name.slice('database'.length))
        : join(dataDir, name),
    );
    say(
      `Restoring ${source}: taken ${manifest.createdAt} from the ${manifest.source}, ` +
        `Parley ${manifest.parleyVersion}, migration ${manifest.migrations.latest ?? manifest.migrations.applied}.`,
    );
    await check(dataDir, manifest);
    restored = true;
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    const files =
      manifest.files.store === 's3'
        ? 'its files are in S3, where they were'
        : fileCount(manifest.files);
    say(
      `Restored into ${dataDir} in ${seconds(performance.now() - started)}: ` +
        `${Object.keys(manifest.tables).length} tables and ${count(rows)} rows, as the backup counted them; ${files}.`,
    );
    say(`Start Parley on it: DATA_DIR=${dataDir} npm start`);
  } finally {
    if (!restored) {
      // The folder was empty: what is in it now is this restore's, and goes.
      for (const name of await entriesOf(dataDir))
        if (name !== 'control') await rm(join(dataDir, name), { recursive: true, force: true });
    }
    await claim.release();
    if (!restored && made) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Refuses, before anything is written, a backup of a database newer than this Parley. */
function acceptable(manifest: Manifest): void {
  const known = parleyMigrations().length;
  if (manifest.migrations.applied > known)
    throw new CliError(
      `This backup comes from a newer Parley (${manifest.parleyVersion}, ${manifest.migrations.applied} migrations; this one has ${known}): upgrade Parley, then restore it.`,
    );
}

/** Opens the restored database and compares it with what the manifest counted. */
async function check(dataDir: string, manifest: Manifest): Promise<void> {
  const database = await openPglite(dataDir);
  let tables: Record<string, number>;
  try {
    tables = await rowCounts(database);
  } finally {
    await database.close();
  }
  const differing = Object.keys({ ...tables, ...manifest.tables }).filter(
    (name) => tables[name] !== manifest.tables[name],
  );
  if (differing.length > 0)
    throw new CliError(
      `The restored database does not hold what the backup counted (${differing
        .map((t) => `${t}: ${tables[t] ?? 'missing'} rows, ${manifest.tables[t] ?? 'none'} counted`)
        .join('; ')}): the backup is damaged.`,
    );
  if (manifest.files.store === 'local') {
    const files = await filesIn(join(dataDir, 'files'));
    if (files.count !== manifest.files.count || files.bytes !== manifest.files.bytes)
      throw new CliError(
        `The restored files (${files.count}, ${files.bytes} bytes) are not the ${manifest.files.count} (${manifest.files.bytes} bytes) the backup counted: the backup is damaged.`,
      );
  }
}

async function filesIn(dir: string): Promise<{ count: number; bytes: number }> {
  const found = { count: 0, bytes: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(
    () => [],
  )) {
    if (!entry.isFile()) continue;
    found.count++;
    const { size } = await stat(join(entry.parentPath, entry.name));
    found.bytes += size;
  }
  return found;
}
