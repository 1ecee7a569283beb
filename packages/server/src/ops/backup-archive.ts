// A backup is one file: a tar archive (gzipped unless its name ends in .tar) whose first entry
// is the manifest, then the database's folder under database/ and the files under files/.
// Written and read here as streams, a block at a time: a backup is as large as the database.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';

export const MANIFEST_NAME = 'parley-backup.json';

/** What a backup says of itself; restore reads it before anything else. */
export const Manifest = z.object({
  format: z.literal('parley-backup'),
  formatVersion: z.literal(1),
  parleyVersion: z.string(),
  createdAt: z.string(),
  /** From a running server (held for `heldMs`), or from a stopped database. */
  source: z.enum(['running server', 'stopped database']),
  heldMs: z.number(),
  migrations: z.object({ applied: z.number(), latest: z.string().optional() }),
  /** Rows of each table, counted in the backup's own copy. */
  tables: z.record(z.string(), z.number()),
  /** `s3`: the files are in the bucket, not in the backup. */
  files: z.object({ store: z.enum(['local', 's3']), count: z.number(), bytes: z.number() }),
});
export type Manifest = z.infer<typeof Manifest>;

/** The file is not a backup this Parley can read; `reason` says what gave it away. */
export class NotABackup extends Error {
  constructor(reason: string) {
    super(`not a Parley backup (${reason})`);
  }
}

const BLOCK = 512;
const END = Buffer.alloc(BLOCK * 2);
// An entry's name: PostgreSQL's own file names and Parley's file keys, nothing else.
const ENTRY_NAME = /^(?:database|files)(?:\/[A-Za-z0-9_.-]+)*$/;

/**
 * Writes `manifest` and the folders `staged/database` and `staged/files` to `file` as a tar
 * archive, gzipped unless the name ends in `.tar`. Returns the bytes written.
 */
export async function writeBackup(file: string, manifest: Manifest, staged: string) {
  const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  async function* entries(): AsyncGenerator<Buffer> {
    yield header(MANIFEST_NAME, body.length, '0');
    yield padded(body);
    for (const top of ['database', 'files']) yield* folder(join(staged, top), top);
    yield END;
  }
  const output = createWriteStream(file, { mode: 0o600 });
  // Gzip's fastest level: at 400,000 messages a third of the default's time, for 12% more bytes.
  if (file.endsWith('.tar')) await pipeline(Readable.from(entries()), output);
  else await pipeline(Readable.from(entries()), createGzip({ level: 1 }), output);
  return (await stat(file)).size;
}

async function* folder(path: string, name: string): AsyncGenerator<Buffer> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  yield header(name, 0, '5');
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = join(path, entry.name);
    const childName = `${name}/${entry.name}`;
    if (entry.isDirectory()) {
      yield* folder(child, childName);
      continue;
    }
    const { size } = await stat(child);
    yield header(childName, size, '0');
    let written = 0;
    for await (const chunk of createReadStream(child)) {
      if (!Buffer.isBuffer(chunk)) throw new Error(`reading ${child} gave text`);
      written += chunk.length;
      yield chunk;
    }
    // The copy is the snapshot's own: nothing writes to it while it is packed.
    if (written !== size) throw new Error(`${child} changed while it was packed`);
    const rest = size % BLOCK;
    if (rest > 0) yield Buffer.alloc(BLOCK - rest);
  }
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

/** A ustar header: a name of up to 100 bytes, or a prefix of 155 and a name of 100. */
function header(name: string, size: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(BLOCK);
  let prefix = '';
  let rest = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    rest = name.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(rest) > 100) throw new Error(`name too long: ${name}`);
  }
  block.write(rest, 0, 100, 'utf8');
  block.write(type === '5' ? '0000700\0' : '0000600\0', 100, 'ascii');
  block.write('0000000\0', 108, 'ascii');
  block.write('0000000\0', 116, 'ascii');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  block.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
    'ascii',
  );
  block.write(type, 156, 'ascii');
  block.write('ustar\0' + '00', 257, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  block.write(`${checksum(block).toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** The sum of the header's bytes, its checksum field counted as spaces. */
function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

/** Reads exactly the bytes asked for from a stream of chunks. */
class Blocks {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly chunks: AsyncIterator<unknown>;

  constructor(source: AsyncIterable<unknown>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** `size` bytes, or fewer at the end of the stream. */
  async read(size: number): Promise<Buffer> {
    while (this.pendingBytes < size) {
      const next = await this.chunks.next();
      if (next.done) break;
      if (!Buffer.isBuffer(next.value)) throw new Error('a stream of text, not bytes');
      this.pending.push(next.value);
      this.pendingBytes += next.value.length;
    }
    // Joined once per read, not once per chunk: a file's megabyte is sixteen chunks.
    const [only] = this.pending;
    const all = only && this.pending.length === 1 ? only : Buffer.concat(this.pending);
    const taken = all.subarray(0, size);
    const rest = all.subarray(taken.length);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return taken;
  }
}

type Entry = { name: string; size: number; type: 'file' | 'folder' };

function parseHeader(block: Buffer): Entry | 'end' {
  if (block.length < BLOCK) throw new NotABackup('it ends in the middle of an entry');
  if (block.every((b) => b === 0)) return 'end';
  const text = (from: number, length: number) =>
    block.toString('utf8', from, from + length).replace(/\0.*$/s, '');
  const stored = Number.parseInt(text(148, 8).trim(), 8);
  if (text(257, 5) !== 'ustar' || stored !== checksum(block))
    throw new NotABackup('not a tar archive');
  const prefix = text(345, 155);
  const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
  const size = Number.parseInt(text(124, 12).trim() || '0', 8);
  const flag = text(156, 1);
  if (flag !== '0' && flag !== '' && flag !== '5')
    throw new NotABackup(`${name} is neither a file nor a folder`);
  return { name, size, type: flag === '5' ? 'folder' : 'file' };
}

/**
 * Reads the backup in `file`: its manifest first, given to `accept` (which may refuse it by
 * throwing, before anything is written), then every entry, written under `into` where
 * `place` puts it. Returns the manifest. A file that is not a backup throws NotABackup.
 */
export async function readBackup(
  file: string,
  accept: (manifest: Manifest) => void,
  place: (name: string) => string,
): Promise<Manifest> {
  const handle = await open(file, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const raw = createReadStream(file);
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  const source = gzipped ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => source.destroy(error));
  try {
    return await readEntries(new Blocks(source), accept, place);
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('Z_'))
      throw new NotABackup('its compression is damaged');
    throw error;
  } finally {
    source.destroy();
    raw.destroy();
  }
}

async function readEntries(
  blocks: Blocks,
  accept: (manifest: Manifest) => void,
  place: (name: string) => string,
): Promise<Manifest> {
  const opening = await blocks.read(BLOCK);
  if (opening.length < BLOCK)
    throw new NotABackup(opening.length === 0 ? 'it is empty' : 'not a tar archive');
  const first = parseHeader(opening);
  if (first === 'end' || first.name !== MANIFEST_NAME || first.size > 1_000_000)
    throw new NotABackup(`it does not begin with ${MANIFEST_NAME}`);
  const body = await blocks.read(first.size);
  await blocks.read(padding(first.size));
  let manifest: Manifest;
  try {
    manifest = Manifest.parse(JSON.parse(body.toString('utf8')));
  } catch {
    throw new NotABackup(`its ${MANIFEST_NAME} is not one this Parley can read`);
  }
  accept(manifest);
  for (;;) {
    const entry = parseHeader(await blocks.read(BLOCK));
    if (entry === 'end') return manifest;
    if (!ENTRY_NAME.test(entry.name) || entry.name.split('/').some((s) => s === '.' || s === '..'))
      throw new NotABackup(`it holds ${JSON.stringify(entry.name)}`);
    const target = place(entry.name);
    if (entry.type === 'folder') {
      await mkdir(target, { recursive: true, mode: 0o700 });
      continue;
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const out = await open(target, 'wx', 0o600);
    try {
      for (let left = entry.size; left > 0;) {
        const chunk = await blocks.read(Math.min(left, 1 << 20));
        if (chunk.length === 0) throw new NotABackup('it ends in the middle of a file');
        await out.write(chunk);
        left -= chunk.length;
      }
    } finally {
      await out.close();
    }
    await blocks.read(padding(entry.size));
  }
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
