import { eq, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { settings } from './schema.js';

export async function getSetting(db: Tx, key: string): Promise<unknown> {
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, key));
  return row?.value;
}

/** Stores `value` unless the key exists; returns what is stored. Safe when instances race. */
export async function getOrInsertSetting(db: Tx, key: string, value: unknown): Promise<unknown> {
  await db.insert(settings).values({ key, value }).onConflictDoNothing();
  return getSetting(db, key);
}

export async function deleteSetting(db: Tx, key: string): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}

export async function putSetting(db: Tx, key: string, value: unknown): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}
