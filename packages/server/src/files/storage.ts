import type { Readable } from 'node:stream';

/**
 * Where the bytes of files live (docs/architecture.md "Files"): one interface, two
 * drivers. Keys are Parley's own (`<yyyy>/<mm>/<attachment id>`), never a client's name.
 */
export interface FileStorage {
  /** `local` or `s3`, as readyz reports it. */
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes, streamed; null when there is no such key. */
  get(key: string): Promise<Readable | null>;
  /** Removing a key that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Throws when the store cannot be reached (readyz). */
  check(): Promise<void>;
}
