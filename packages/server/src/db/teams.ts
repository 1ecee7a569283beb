import type { Schedule } from '@parley/protocol';
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { teamMembers, teams, users } from './schema.js';

export type TeamRow = typeof teams.$inferSelect;

/** Every team, by name, each with its members' ids. */
export async function listTeams(db: Tx): Promise<Array<TeamRow & { memberIds: string[] }>> {
  const [rows, members] = await Promise.all([
    db
      .select()
      .from(teams)
      .orderBy(asc(sql`lower(${teams.name})`)),
    db.select({ teamId: teamMembers.teamId, userId: teamMembers.userId }).from(teamMembers),
  ]);
  const byTeam = new Map<string, string[]>();
  for (const m of members) {
    const ids = byTeam.get(m.teamId);
    if (ids) ids.push(m.userId);
    else byTeam.set(m.teamId, [m.userId]);
  }
  return rows.map((row) => ({ ...row, memberIds: byTeam.get(row.id) ?? [] }));
}

export async function findTeam(
  db: Tx,
  id: string,
): Promise<(TeamRow & { memberIds: string[] }) | null> {
  const [row] = await db.select().from(teams).where(eq(teams.id, id));
  if (!row) return null;
  const members = await db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, id));
  return { ...row, memberIds: members.map((m) => m.userId) };
}

/** null when the name is taken (in any capitalisation). */
export async function insertTeam(
  db: Tx,
  team: { name: string; schedule: Schedule | null; botId: string | null },
): Promise<TeamRow | null> {
  const [row] = await db.insert(teams).values(team).onConflictDoNothing().returning();
  return row ?? null;
}

/** null when there is no such team. A taken name throws the unique violation. */
export async function updateTeam(
  db: Tx,
  id: string,
  change: { name?: string; schedule?: Schedule | null; botId?: string | null },
): Promise<TeamRow | null> {
  const [row] = await db.update(teams).set(change).where(eq(teams.id, id)).returning();
  return row ?? null;
}

/** The team's members become exactly `userIds`. */
export async function setTeamMembers(db: Tx, teamId: string, userIds: string[]): Promise<void> {
  await db
    .delete(teamMembers)
    .where(
      and(
        eq(teamMembers.teamId, teamId),
        userIds.length > 0 ? notInArray(teamMembers.userId, userIds) : undefined,
      ),
    );
  if (userIds.length === 0) return;
  await db
    .insert(teamMembers)
    .values(userIds.map((userId) => ({ teamId, userId })))
    .onConflictDoNothing();
}

/** false when there was no such team. */
export async function deleteTeam(db: Tx, id: string): Promise<boolean> {
  const rows = await db.delete(teams).where(eq(teams.id, id)).returning({ id: teams.id });
  return rows.length > 0;
}

/** Which of `ids` are active members of the staff (people or bots). */
export async function activeUserIds(db: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.active, true)));
  return new Set(rows.map((r) => r.id));
}
