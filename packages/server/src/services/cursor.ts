import { Id, Timestamp } from '@parley/protocol';
import { z } from 'zod';
import { badRequest } from '../errors.js';

/** A keyset position in a list sorted by (timestamp desc, id desc). */
export type Cursor = { at: Date; id: string };

/** Opaque to clients: base64url of `[timestamp, id]`. */
export const encodeCursor = (at: string, id: string): string =>
  Buffer.from(JSON.stringify([at, id])).toString('base64url');

// Years PostgreSQL's timestamptz and JavaScript's Date both hold: year 0 or ±275760 parse in
// JavaScript and break the query.
const CursorValue = z.tuple([
  Timestamp.transform((s) => new Date(s)).refine((d) => {
    const year = d.getUTCFullYear();
    return year >= 1 && year <= 9999;
  }),
  Id,
]);

/** A cursor is checked like any input, since a client can hand back anything. */
export function decodeCursor(cursor: string): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badRequest('Invalid cursor');
  }
  const parsed = CursorValue.safeParse(value);
  if (!parsed.success) throw badRequest('Invalid cursor');
  const [at, id] = parsed.data;
  return { at, id };
}

/**
 * A page of a keyset list read with one row more than `limit`: its first `limit` rows, and the
 * cursor after the last of them when that extra row shows that more follow.
 */
export function pageOf<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => { at: Date | string; id: string },
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length <= limit || !last) return { page, nextCursor: null };
  const { at, id } = positionOf(last);
  return { page, nextCursor: encodeCursor(at instanceof Date ? at.toISOString() : at, id) };
}
