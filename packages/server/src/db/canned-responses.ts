import type { CannedResponse } from '@parley/protocol';
import { asc, eq } from 'drizzle-orm';
import type { Tx } from './client.js';
import { cannedResponses } from './schema.js';

export type CannedResponseRow = typeof cannedResponses.$inferSelect;
type NewCannedResponse = typeof cannedResponses.$inferInsert;

export const toCannedResponse = (r: CannedResponseRow): CannedResponse => ({
  id: r.id,
  title: r.title,
  content: r.content,
  shortcut: r.shortcut,
  category: r.category,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
});

export async function listCannedResponses(db: Tx): Promise<CannedResponseRow[]> {
  return db.select().from(cannedResponses).orderBy(asc(cannedResponses.shortcut));
}

export async function findCannedResponse(db: Tx, id: string): Promise<CannedResponseRow | null> {
  const [row] = await db.select().from(cannedResponses).where(eq(cannedResponses.id, id));
  return row ?? null;
}

/** null when the shortcut is taken. */
export async function insertCannedResponse(
  db: Tx,
  values: NewCannedResponse,
): Promise<CannedResponseRow | null> {
  const [row] = await db.insert(cannedResponses).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateCannedResponse(
  db: Tx,
  id: string,
  values: Partial<NewCannedResponse>,
): Promise<CannedResponseRow | null> {
  const [row] = await db
    .update(cannedResponses)
    .set(values)
    .where(eq(cannedResponses.id, id))
    .returning();
  return row ?? null;
}

export async function deleteCannedResponse(db: Tx, id: string): Promise<boolean> {
  const rows = await db
    .delete(cannedResponses)
    .where(eq(cannedResponses.id, id))
    .returning({ id: cannedResponses.id });
  return rows.length > 0;
}
