import type { Config } from '../config.js';
import { LocalStorage } from './local-storage.js';
import type { FileStorage } from './storage.js';

/** The S3 driver (and its SDK, the largest of Parley's packages) is loaded only when configured. */
export async function openStorage(config: Config): Promise<FileStorage> {
  if (!config.s3) return new LocalStorage(config.dataDir);
  const { S3Storage } = await import('./s3-storage.js');
  return new S3Storage(config.s3);
}
