import type { FileStorage } from '../files/storage.js';
import type { JobHandler } from '../queue/kinds.js';

/**
 * Deletes a file's bytes from storage. Queued by the database itself whenever an attachment's
 * row is deleted (migration 0010's trigger): a deleted conversation, a swept upload.
 */
export function deleteFileJob(files: FileStorage): JobHandler<'delete-file'> {
  return {
    kind: 'delete-file',
    maxAttempts: 8,
    async run({ storageKey }) {
      await files.delete(storageKey);
    },
  };
}
