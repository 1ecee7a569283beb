import { and, eq, lt, lte, or, type Column } from 'drizzle-orm';

/** A place in a list sorted newest first by (at, id): the last row a page showed. */
export type KeysetPosition = { at: Date; id: string };

/**
 * The rows strictly after `p` in (at desc, id desc) order; none given, every row. The `lte`
 * is implied by the rest, and lets an index on `at` start where the page left off.
 */
export const after = (at: Column, id: Column, p: KeysetPosition | undefined) =>
  p ? and(lte(at, p.at), or(lt(at, p.at), and(eq(at, p.at), lt(id, p.id)))) : undefined;
