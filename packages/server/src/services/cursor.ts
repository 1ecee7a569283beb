import { badRequest } from '../errors.js';

/** A keyset position in a list sorted by (timestamp desc, id desc). */
export type Cursor = { at: Date; id: string };

/** Opaque to clients: base64url of `[timestamp, id]`. */
export const encodeCursor = (at: string, id: string): string =>
  Buffer.from(JSON.stringify([at, id])).toString('base64url');

export function decodeCursor(cursor: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const at = new Date(value[0]);
      if (!Number.isNaN(at.getTime()) && /^[0-9a-f-]{36}$/.test(value[1])) {
        return { at, id: value[1] };
      }
    }
  } catch {
    // not JSON: refused below like any other malformed cursor
  }
  throw badRequest('Invalid cursor');
}
