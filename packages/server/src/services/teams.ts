import type { Schedule, Team, TeamBody, TeamPatchBody } from '@parley/protocol';
import type { Context } from '../context.js';
import type { Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import * as rows from '../db/teams.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { openness } from './business-hours.js';

// Teams: who is in each and when each works (issue 34). Admins change them; every agent reads
// them (the list's filter, a transfer's choices).

const nameTaken = () => conflict('There is already a team by this name');

/** A team as the API shows it, with whether its hours have it open at `now`. */
function toTeam(row: rows.TeamRow & { memberIds: string[] }, now: Date): Team {
  return {
    id: row.id,
    name: row.name,
    memberIds: row.memberIds,
    schedule: row.schedule,
    hours: row.schedule ? hoursAt(row.schedule, now) : null,
    createdAt: row.createdAt.toISOString(),
  };
}

function hoursAt(schedule: Schedule, now: Date): Team['hours'] {
  const state = openness(schedule, now);
  return state.open
    ? { open: true, closesAt: state.closesAt?.toISOString() ?? null, opensAt: null }
    : { open: false, closesAt: null, opensAt: state.opensAt?.toISOString() ?? null };
}

export async function listTeams(ctx: Context): Promise<Team[]> {
  const now = new Date();
  return (await rows.listTeams(ctx.db)).map((row) => toTeam(row, now));
}

/** Every member must be an active member of the staff: one unknown or deactivated is refused. */
async function checkMembers(tx: Tx, ids: string[]) {
  const active = await rows.activeUserIds(tx, ids);
  const unknown = ids.findIndex((id) => !active.has(id));
  if (unknown >= 0) {
    throw badRequest('Invalid input', [
      { path: `memberIds.${unknown}`, message: 'No active agent has this id' },
    ]);
  }
}

export async function createTeam(ctx: Context, body: TeamBody): Promise<Team> {
  const id = await ctx.db.transaction(async (tx) => {
    await checkMembers(tx, body.memberIds);
    const row = await rows.insertTeam(tx, { name: body.name, schedule: body.schedule });
    if (!row) throw nameTaken();
    await rows.setTeamMembers(tx, row.id, body.memberIds);
    return row.id;
  });
  return getTeam(ctx, id);
}

export async function updateTeam(ctx: Context, id: string, body: TeamPatchBody): Promise<Team> {
  await ctx.db.transaction(async (tx) => {
    if (body.memberIds) await checkMembers(tx, body.memberIds);
    const change = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.schedule !== undefined ? { schedule: body.schedule } : {}),
    };
    const found =
      Object.keys(change).length > 0
        ? await rows.updateTeam(tx, id, change).catch((error: unknown) => {
            throw isUniqueViolation(error) ? nameTaken() : error;
          })
        : await rows.findTeam(tx, id);
    if (!found) throw notFound('Team');
    if (body.memberIds) await rows.setTeamMembers(tx, id, body.memberIds);
  });
  return getTeam(ctx, id);
}

export async function deleteTeam(ctx: Context, id: string): Promise<void> {
  if (!(await rows.deleteTeam(ctx.db, id))) throw notFound('Team');
}

async function getTeam(ctx: Context, id: string): Promise<Team> {
  const row = await rows.findTeam(ctx.db, id);
  if (!row) throw notFound('Team');
  return toTeam(row, new Date());
}
