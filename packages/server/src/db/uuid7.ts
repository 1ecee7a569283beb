import { randomFillSync } from 'node:crypto';

const random = Buffer.alloc(16 * 256);
let used = random.length;
const bytes = Buffer.alloc(16);

/**
 * A version 7 UUID (RFC 9562): the current millisecond, then 74 random bits. Ids made later
 * sort after earlier ones, so rows keyed by them are appended at the right edge of the primary
 * key's index instead of on a random page of it: the pages being written stay few and cached.
 */
export function uuid7(now = Date.now()): string {
  if (used === random.length) {
    randomFillSync(random);
    used = 0;
  }
  // 48 bits of milliseconds, then the random bits with the version (7) and variant (10) set.
  bytes.writeUIntBE(now, 0, 6);
  random.copy(bytes, 6, used + 6, used + 16);
  used += 16;
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
