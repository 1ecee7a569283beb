import { access, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileStorage } from './storage.js';

const KEY = /^[a-z0-9][a-z0-9/_-]{0,200}$/;

/** Files on the local disk under `DATA_DIR/files`: the default, for one instance. */
export class LocalStorage implements FileStorage {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'files');
  }

  /** Keys are Parley's own; this refuses anything else, so no key can leave the folder. */
  private path(key: string): string {
    const path = resolve(this.root, key);
    if (!KEY.test(key) || key.includes('..') || !path.startsWith(this.root + sep)) {
      throw new Error(`Not a storage key: ${key}`);
    }
    return path;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed: a reader never sees half a file.
    const partial = `${path}.partial`;
    await writeFile(partial, body);
    await rename(partial, path);
  }

  async get(key: string): Promise<Readable | null> {
    // Opened here, not when first read: a file deleted after this still streams whole.
    const handle = await open(this.path(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    return handle?.createReadStream() ?? null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.W_OK);
  }
}
