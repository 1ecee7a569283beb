import type { User } from '@parley/protocol';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { conversations, users } from './schema.js';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  status: r.status,
  capacity: r.capacity,
  active: r.active,
  emailAlerts: r.emailAlerts,
  kind: r.kind,
  twoFactor: r.totpEnabledAt !== null,
  createdAt: r.createdAt.toISOString(),
});

export async function countUsers(db: Tx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** Inserts unless the email is taken; null when it is. */
export async function insertUser(db: Tx, values: NewUser): Promise<UserRow | null> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function findUserByEmail(db: Tx, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

export async function findUserById(db: Tx, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function listUsers(db: Tx): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.createdAt));
}

/** Sets the given columns; with none given (all undefined), the row as it is. */
export async function updateUser(
  db: Tx,
  id: string,
  values: Partial<NewUser>,
): Promise<UserRow | null> {
  if (Object.values(values).every((v) => v === undefined)) return findUserById(db, id);
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  return row ?? null;
}

/** Sets the status of many agents at once (start-up, when nothing is connected). */
export async function setStatusOfAll(db: Tx, status: UserRow['status']): Promise<void> {
  await db.update(users).set({ status });
}

/**
 * The agent routing should give the next chat to: among `candidateIds` (agents connected now),
 * one who is active, online and under capacity, with the fewest open chats.
 */
export async function findAgentForRouting(db: Tx, candidateIds: string[]): Promise<UserRow | null> {
  if (candidateIds.length === 0) return null;
  const openChats = sql<number>`(select count(*)::int from ${conversations} c
    where c.assignee_id = ${users.id} and c.status = 'open')`;
  const [row] = await db
    .select({ user: users, openChats })
    .from(users)
    .where(
      and(
        inArray(users.id, candidateIds),
        eq(users.active, true),
        eq(users.kind, 'person'),
        eq(users.status, 'online'),
        sql`${users.capacity} > ${openChats}`,
      ),
    )
    .orderBy(openChats, asc(users.createdAt))
    .limit(1);
  return row?.user ?? null;
}

/** Which of the candidates could take a chat: active people, online. */
export async function availableAgentIds(db: Tx, candidateIds: string[]): Promise<string[]> {
  if (candidateIds.length === 0) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        inArray(users.id, candidateIds),
        eq(users.active, true),
        eq(users.kind, 'person'),
        eq(users.status, 'online'),
      ),
    );
  return rows.map((r) => r.id);
}

/** Of these ids, the active people (not bots): whom a note may mention. */
export async function activePeopleAmong(db: Tx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.active, true), eq(users.kind, 'person')));
  return rows.map((r) => r.id);
}
