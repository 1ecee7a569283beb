// The running server's side of its control socket (db/embedded-claim.ts): `npm run backup`
// asks it for a consistent snapshot of the embedded database and its files, staged in
// DATA_DIR/control where only this user may go. Chats wait while the database is held (the
// copy of its folder, under a second at 400,000 messages), then go on.
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import type { DataDirClaim } from '../db/embedded-claim.js';
import { transactionSession } from '../db/sql-session.js';
import type { Logger } from '../logger.js';
import { snapshotDataDir, snapshotPlace } from './snapshot.js';

export const ControlRequest = z.object({ op: z.literal('snapshot') });

export const SnapshotAnswer = z.union([
  z.object({
    ok: z.literal(true),
    /** The staged copy: `database/` and `files/`. The asker packs it and removes it. */
    dir: z.string(),
    takenAt: z.string(),
    databaseBytes: z.number(),
    files: z.object({ count: z.number(), bytes: z.number() }),
    heldMs: z.number(),
    filesStore: z.enum(['local', 's3']),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type SnapshotAnswer = z.infer<typeof SnapshotAnswer>;

/** Answers snapshot requests on the server's claim of DATA_DIR. */
export function serveControl(
  claim: DataDirClaim,
  database: Database,
  opts: { dataDir: string; filesStore: 'local' | 's3'; log: Logger },
): void {
  claim.serve(async (request): Promise<SnapshotAnswer> => {
    if (!ControlRequest.safeParse(request).success) return { ok: false, error: 'unknown request' };
    const dir = await snapshotPlace(claim.controlDir);
    // A transaction holds the pool's one connection: no other query runs until it ends.
    const facts = await snapshotDataDir(
      (work) => database.db.transaction((tx) => work(transactionSession(tx))),
      opts.dataDir,
      dir,
      { localFiles: opts.filesStore === 'local' },
    ).catch(async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    });
    opts.log.info(
      { heldMs: facts.heldMs, databaseBytes: facts.databaseBytes, files: facts.files.count },
      'snapshot of the embedded database taken for a backup',
    );
    return { ok: true, dir, filesStore: opts.filesStore, ...facts };
  });
}
