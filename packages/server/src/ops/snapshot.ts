// A consistent copy of the embedded database's folder and of the local file store, made while
// the caller holds the database alone: a running server (ops/control.ts, for `npm run backup`)
// or a backup that opened a stopped one. The copy is what a backup packs.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkpointForCopy, type WalRange } from '../db/snapshot.js';
import type { SqlSession } from '../db/sql-session.js';

export type SnapshotFacts = {
  /** When the database was copied: the instant the backup holds. */
  takenAt: string;
  /** Bytes of the database's files copied. */
  databaseBytes: number;
  /** The local file store's files, linked (none when files are kept in S3). */
  files: { count: number; bytes: number };
  /** How long the database was held: the chats' stall. */
  heldMs: number;
};

/** The top-level entries of PostgreSQL's data folder; anything else in DATA_DIR is not its. */
const DATABASE_ENTRY = /^(PG_VERSION|base|global|pg_[a-z_]+(\.conf)?|postgresql(\.auto)?\.conf)$/;
// What pg_basebackup leaves out: rebuilt or unused at start (their directories are kept, empty).
const EMPTIED = new Set([
  'pg_dynshmem',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
const LEFT_OUT = new Set(['postmaster.pid', 'postmaster.opts', 'pg_internal.init']);
const WAL_FILE = /^[0-9A-F]{24}$/;
// Copies at once: the disk, not the event loop, is what they wait on.
const PARALLEL_COPIES = 8;

const PREFIX = 'snapshot-';
// A snapshot is packed within minutes; one this old was left by a tool that did not finish.
const ABANDONED_MS = 60 * 60_000;

/**
 * Where to stage a new snapshot: in DATA_DIR/control (`controlDir`), where only this user may
 * go, on the same file system as the files it links. Snapshots abandoned there go first.
 */
export async function snapshotPlace(controlDir: string): Promise<string> {
  for (const name of await readdir(controlDir)) {
    if (!name.startsWith(PREFIX)) continue;
    const { mtimeMs } = await stat(join(controlDir, name));
    if (Date.now() - mtimeMs > ABANDONED_MS)
      await rm(join(controlDir, name), { recursive: true, force: true });
  }
  return join(controlDir, `${PREFIX}${randomUUID()}`);
}

/** True when `dir` is a place `snapshotPlace` gives in `controlDir`, and nothing else. */
export function isSnapshotPlace(dir: string, controlDir: string): boolean {
  return dirname(dir) === controlDir && basename(dir).startsWith(PREFIX);
}

/**
 * Copies the database in `dataDir` into `into/database` and links its files into `into/files`,
 * run by `hold`, which gives a session that has the database alone until it returns (nothing
 * writes meanwhile). After a checkpoint the data files hold every committed row; the WAL from
 * that checkpoint on is copied, and of the rest only what the start needs. Files are written
 * before their row and removed after it: linked while the database is held, every file a
 * copied row refers to is there, and stays there whatever happens to the original after.
 */
export async function snapshotDataDir(
  hold: <T>(work: (session: SqlSession) => Promise<T>) => Promise<T>,
  dataDir: string,
  into: string,
  opts: { localFiles: boolean },
): Promise<SnapshotFacts> {
  await mkdir(into, { recursive: true, mode: 0o700 });
  return hold(async (session) => {
    const started = performance.now();
    const takenAt = new Date().toISOString();
    const wal = await checkpointForCopy(session);
    const databaseBytes = await copyDatabase(dataDir, join(into, 'database'), wal);
    const files = opts.localFiles
      ? await linkFiles(join(dataDir, 'files'), join(into, 'files'))
      : { count: 0, bytes: 0 };
    return { takenAt, databaseBytes, files, heldMs: Math.round(performance.now() - started) };
  });
}

async function copyDatabase(from: string, to: string, wal: WalRange): Promise<number> {
  const copies: Array<[string, string]> = [];
  const walk = async (rel: string): Promise<void> => {
    await mkdir(join(to, rel), { recursive: true });
    for (const entry of await readdir(join(from, rel), { withFileTypes: true })) {
      const path = join(rel, entry.name);
      if (rel === '' && !DATABASE_ENTRY.test(entry.name)) continue;
      if (entry.isDirectory()) {
        if (EMPTIED.has(path) || path === join('pg_wal', 'archive_status'))
          await mkdir(join(to, path), { recursive: true });
        else await walk(path);
        continue;
      }
      if (!entry.isFile() || LEFT_OUT.has(entry.name) || entry.name.endsWith('.tmp')) continue;
      if (rel === 'pg_wal' && WAL_FILE.test(entry.name)) {
        if (entry.name < wal.first || entry.name > wal.last) continue;
      }
      copies.push([join(from, path), join(to, path)]);
    }
  };
  await walk('');
  let bytes = 0;
  await inParallel(copies, async ([source, target]) => {
    // A clone where the file system has them (btrfs, XFS, APFS): instant, and no space used.
    await copyFile(source, target, constants.COPYFILE_FICLONE);
    const { size } = await stat(target);
    bytes += size;
  });
  return bytes;
}

async function linkFiles(from: string, to: string): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(from, rel), { withFileTypes: true }).catch(
      (error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
        throw error;
      },
    );
    await mkdir(join(to, rel), { recursive: true });
    for (const entry of entries) {
      const path = join(rel, entry.name);
      if (entry.isDirectory()) await walk(path);
      // A file being written is named .partial until it is whole (files/local-storage.ts).
      if (!entry.isFile() || entry.name.endsWith('.partial')) continue;
      // A link is one more name for the same bytes: instant, and stored files are never
      // rewritten in place. Where links are refused, a copy.
      await link(join(from, path), join(to, path)).catch(() =>
        copyFile(join(from, path), join(to, path)),
      );
      const { size } = await stat(join(to, path));
      bytes += size;
      count++;
    }
  };
  await walk('');
  return { count, bytes };
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_COPIES }, worker));
}
