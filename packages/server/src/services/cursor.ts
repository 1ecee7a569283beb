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
