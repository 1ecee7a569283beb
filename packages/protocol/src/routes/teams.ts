/**
 * Teams (Billing, Technical…), their members and their business hours: `/api/teams/*`.
 */
import { z } from 'zod';
import { OpenNow, Schedule } from '../hours.js';
import { Id, safeText, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

/** Whether a team's hours have it open now: until when, or from when (null: not within a year). */
export const TeamHours = OpenNow;
export type TeamHours = z.infer<typeof TeamHours>;

export const Team = z.object({
  id: Id,
  name: z.string(),
  /** Its agents (people and bots), in no particular order. */
  memberIds: z.array(Id),
  /** Its business hours; null: none set, so it is always open. */
  schedule: Schedule.nullable(),
  /** Now, by its hours; null when it has none. */
  hours: TeamHours.nullable(),
  /** The bot that answers the team's new chats first and hands over to it; null: none. */
  botId: Id.nullable(),
  createdAt: Timestamp,
});
export type Team = z.infer<typeof Team>;

const TeamName = safeText(60).pipe(z.string().min(1, 'A team needs a name'));
/** The team's members, all of them (what is left out leaves the team): at most 500. */
const MemberIds = z
  .array(Id)
  .max(500)
  .refine((ids) => new Set(ids).size === ids.length, 'A member is listed twice');

export const TeamBody = z.object({
  name: TeamName,
  memberIds: MemberIds.default([]),
  schedule: Schedule.nullable().default(null),
  botId: Id.nullable().default(null),
});
export type TeamBody = z.infer<typeof TeamBody>;
export const TeamPatchBody = z
  .object({
    name: TeamName,
    memberIds: MemberIds,
    schedule: Schedule.nullable(),
    botId: Id.nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type TeamPatchBody = z.infer<typeof TeamPatchBody>;
export const TeamListReply = z.object({ items: z.array(Team) });
export type TeamListReply = z.infer<typeof TeamListReply>;
export const TeamReply = z.object({ team: Team });
export type TeamReply = z.infer<typeof TeamReply>;

const tag = 'Teams';

export const teamRoutes = {
  listTeams: {
    ...at.listTeams,
    tag,
    summary: 'All teams, with their members and whether their hours have them open now',
    auth: 'agent',
    responses: { 200: TeamListReply },
  },
  createTeam: {
    ...at.createTeam,
    tag,
    summary: 'Add a team (admins)',
    auth: 'admin',
    body: TeamBody,
    responses: { 201: TeamReply },
    errors: [409],
  },
  updateTeam: {
    ...at.updateTeam,
    tag,
    summary: 'Rename a team, set its members or its hours (admins)',
    auth: 'admin',
    params: IdParams,
    body: TeamPatchBody,
    responses: { 200: TeamReply },
    errors: [404, 409],
  },
  deleteTeam: {
    ...at.deleteTeam,
    tag,
    summary: 'Delete a team (admins); its agents stay, in their other teams',
    auth: 'admin',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
} as const satisfies RouteEntries;
