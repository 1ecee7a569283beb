import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { LocalStorage } from './local-storage.js';

/**
 * Where the bytes of files live (ARCHITECTURE.md "Growing the house"): one interface, two
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

/** The S3 driver (and its SDK, the largest of Parley's packages) is loaded only when configured. */
export async function openStorage(config: Config): Promise<FileStorage> {
  if (!config.s3) return new LocalStorage(config.dataDir);
  const { S3Storage } = await import('./s3-storage.js');
  return new S3Storage(config.s3);
}
