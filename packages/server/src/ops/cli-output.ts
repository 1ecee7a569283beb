// How the operations tools (backup, restore, the move to PostgreSQL) speak to whoever runs them.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import serverPackage from '../../package.json' with { type: 'json' };

/** A refusal or a failure the person running the tool can act on: printed as it is. */
export class CliError extends Error {}

/** Where a tool writes what it does: one line at a time, to stdout. */
export type Say = (line: string) => void;

export const parleyVersion: string = serverPackage.version;

export function count(n: number): string {
  return n.toLocaleString('en');
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** The files of a store, as a sentence says them. */
export function fileCount(files: { count: number; bytes: number }): string {
  if (files.count === 0) return 'no files';
  return `${count(files.count)} file${files.count === 1 ? '' : 's'} (${size(files.bytes)})`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A URL as it may be printed: without its password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/** True when `dir` holds an embedded database (PostgreSQL's data folder). */
export function holdsDatabase(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/** What `dir` holds but a mount point's own `lost+found`; nothing when it does not exist. */
export async function entriesOf(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((name) => name !== 'lost+found');
}
