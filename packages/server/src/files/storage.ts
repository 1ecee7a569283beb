import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { LocalStorage } from './local-storage.js';
import { S3Storage } from './s3-storage.js';

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

export function openStorage(config: Config): FileStorage {
  return config.s3 ? new S3Storage(config.s3) : new LocalStorage(config.dataDir);
}
