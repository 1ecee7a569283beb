import { randomFillSync } from 'node:crypto';

const random = Buffer.alloc(16 * 256);
let used = random.length;

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
  const b = random.subarray(used, (used += 16));
  const hex = now.toString(16).padStart(12, '0') + b.toString('hex', 6, 16);
  return (
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-` +
    `${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  );
}
