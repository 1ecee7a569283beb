import type { Team, TeamBody, TeamPatchBody } from '@parley/protocol';
import type { Context } from '../context.js';
import type { Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import * as rows from '../db/teams.js';
import { findUserById } from '../db/users.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { AgentActor } from './actor.js';
import { changedAny, changeOf, recordAudit, type RequestOrigin } from './audit.js';
import { announceAvailability } from './routing.js';
import { forgetDirectory, teamHours } from './sites.js';

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
    hours: teamHours(row, now),
    botId: row.botId,
    createdAt: row.createdAt.toISOString(),
  };
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

/** A team's first responder must be an active bot. */
async function checkBot(tx: Tx, id: string) {
  const active = await rows.activeUserIds(tx, [id]);
  const bot = active.has(id) ? await findUserById(tx, id) : null;
  if (bot?.kind !== 'bot') {
    throw badRequest('Invalid input', [{ path: 'botId', message: 'No active bot has this id' }]);
  }
}

/** A team as the audit log keeps it: without `hours`, which is the time of day. */
const recorded = ({ hours: _now, ...team }: Team) => team;

export async function createTeam(
  ctx: Context,
  actor: AgentActor,
  body: TeamBody,
  origin: RequestOrigin,
): Promise<Team> {
  const id = await ctx.db.transaction(async (tx) => {
    await checkMembers(tx, body.memberIds);
    if (body.botId) await checkBot(tx, body.botId);
    const row = await rows.insertTeam(tx, {
      name: body.name,
      schedule: body.schedule,
      botId: body.botId,
    });
    if (!row) throw nameTaken();
    await rows.setTeamMembers(tx, row.id, body.memberIds);
    return row.id;
  });
  forgetDirectory(ctx);
  await announceAvailability(ctx);
  const team = await getTeam(ctx, id);
  await recordAudit(ctx, actor, origin, 'team.created', id, { after: recorded(team) });
  return team;
}

/** An admin changes a team (its name, members, hours, bot): recorded before and after. */
export async function updateTeam(
  ctx: Context,
  actor: AgentActor,
  id: string,
  body: TeamPatchBody,
  origin: RequestOrigin,
): Promise<Team> {
  const before = await getTeam(ctx, id);
  await ctx.db.transaction(async (tx) => {
    if (body.memberIds) await checkMembers(tx, body.memberIds);
    if (body.botId) await checkBot(tx, body.botId);
    const change = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.schedule !== undefined ? { schedule: body.schedule } : {}),
      ...(body.botId !== undefined ? { botId: body.botId } : {}),
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
  forgetDirectory(ctx);
  await announceAvailability(ctx);
  const team = await getTeam(ctx, id);
  const change = changeOf(recorded(before), recorded(team));
  if (changedAny(change)) await recordAudit(ctx, actor, origin, 'team.changed', id, change);
  return team;
}

export async function deleteTeam(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  const before = await getTeam(ctx, id);
  if (!(await rows.deleteTeam(ctx.db, id))) throw notFound('Team');
  forgetDirectory(ctx);
  await announceAvailability(ctx);
  await recordAudit(ctx, actor, origin, 'team.deleted', id, { before: recorded(before) });
}

async function getTeam(ctx: Context, id: string): Promise<Team> {
  const row = await rows.findTeam(ctx.db, id);
  if (!row) throw notFound('Team');
  return toTeam(row, new Date());
}
