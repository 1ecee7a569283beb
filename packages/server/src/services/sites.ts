import {
  defaultWidgetSettings,
  WidgetSettings,
  type OpenNow,
  type Schedule,
  type Site,
} from '@parley/protocol';
import type { Context } from '../context.js';
import type { Db } from '../db/client.js';
import type { Sender } from '../email/compose.js';
import * as siteRows from '../db/sites.js';
import * as teamRows from '../db/teams.js';
import { badRequest, notFound } from '../errors.js';
import { openness } from './business-hours.js';

// Websites (issue 34): each has its widget, its key for the snippet, the teams its chats go to
// and, optionally, hours of its own. A snippet without a key reaches the default site, which is
// what Parley was before there were sites (migration 0018).

/** The sites and teams as the hot paths read them (each widget load, session and new chat). */
export type Directory = {
  sites: siteRows.SiteRow[];
  teams: Map<string, teamRows.TeamRow & { memberIds: string[] }>;
  readAt: number;
};

// Kept for a few seconds per server: another instance's change takes effect here within that.
const DIRECTORY_TTL_MS = 5_000;
const directories = new WeakMap<Context, Promise<Directory>>();

export async function directory(ctx: Context): Promise<Directory> {
  const cached = directories.get(ctx);
  if (cached) {
    const dir = await cached.catch(() => null);
    if (dir && Date.now() - dir.readAt < DIRECTORY_TTL_MS) return dir;
  }
  const loading = readDirectory(ctx.db);
  directories.set(ctx, loading);
  loading.catch(() => directories.delete(ctx));
  return loading;
}

async function readDirectory(db: Db): Promise<Directory> {
  const [sites, teams] = await Promise.all([siteRows.listSites(db), teamRows.listTeams(db)]);
  return { sites, teams: new Map(teams.map((t) => [t.id, t])), readAt: Date.now() };
}

/** After a change of sites or teams: this process reads them again at once. */
export function forgetDirectory(ctx: Context): void {
  directories.delete(ctx);
}

/** The site a snippet names by its key; without a key, the default site. */
export async function siteByKey(ctx: Context, key: string | undefined): Promise<siteRows.SiteRow> {
  const { sites } = await directory(ctx);
  const site =
    key === undefined ? sites.find((s) => s.isDefault) : sites.find((s) => s.key === key);
  if (!site) throw notFound('Site');
  return site;
}

export async function siteById(ctx: Context, id: string): Promise<siteRows.SiteRow> {
  const site = (await directory(ctx)).sites.find((s) => s.id === id);
  if (!site) throw notFound('Site');
  return site;
}

/** The site's widget settings over the defaults: a field a newer version adds gets its default. */
export function widgetOf(site: siteRows.SiteRow): WidgetSettings {
  const parsed = WidgetSettings.safeParse({ ...defaultWidgetSettings, ...site.widget });
  return parsed.success ? parsed.data : defaultWidgetSettings;
}

/** Who emails to the site's visitors come from: its sender name, at MAIL_FROM's address. */
export function siteSender(site: siteRows.SiteRow, sender: Sender): Sender {
  return site.emailSenderName ? { ...sender, name: site.emailSenderName } : sender;
}

/** Whether `schedule` has its owner open at `now`, as the API says it. */
export function openNow(schedule: Schedule, now: Date): OpenNow {
  const state = openness(schedule, now);
  return state.open
    ? { open: true, closesAt: state.closesAt?.toISOString() ?? null, opensAt: null }
    : { open: false, closesAt: null, opensAt: state.opensAt?.toISOString() ?? null };
}

/**
 * The site's hours now: its own schedule, else its teams' together (open while any is; a team
 * without hours is always open); null when no hours apply, so it is always open.
 */
export function siteHours(dir: Directory, site: siteRows.SiteRow, now: Date): OpenNow | null {
  if (site.schedule) return openNow(site.schedule, now);
  const schedules = site.teamIds.map((id) => dir.teams.get(id)?.schedule);
  if (schedules.length === 0 || schedules.some((s) => !s)) return null;
  const states = (schedules as Schedule[]).map((s) => openNow(s, now));
  const open = states.filter((s) => s.open);
  if (open.length > 0) {
    return { open: true, closesAt: latest(open.map((s) => s.closesAt)), opensAt: null };
  }
  return { open: false, closesAt: null, opensAt: earliest(states.map((s) => s.opensAt)) };
}

/** The latest of the instants; null (open past the horizon) wins. */
function latest(instants: Array<string | null>): string | null {
  if (instants.some((i) => i === null)) return null;
  return (instants as string[]).reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

function earliest(instants: Array<string | null>): string | null {
  const known = instants.filter((i): i is string => i !== null);
  if (known.length === 0) return null;
  return known.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

/**
 * The hours a chat keeps: its team's, else its site's own, else none (always open). Routing
 * waits for them, the waiting alert too, and the reports count first responses within them.
 */
export function chatSchedule(
  dir: Directory,
  chat: { siteId: string; teamId: string | null },
): Schedule | null {
  const team = chat.teamId ? dir.teams.get(chat.teamId) : undefined;
  return team?.schedule ?? dir.sites.find((s) => s.id === chat.siteId)?.schedule ?? null;
}

/** A team's hours now; null when it has none (always open). */
export function teamHours(team: { schedule: Schedule | null }, now: Date): OpenNow | null {
  return team.schedule ? openNow(team.schedule, now) : null;
}

/**
 * The team a new chat of `site` waits for: the department the visitor chose (one of the site's
 * teams, when the site offers the choice), else the first of the site's teams open now, else its
 * first team; null when the site names none (any agent takes it).
 */
export function teamForNewChat(
  dir: Directory,
  site: siteRows.SiteRow,
  chosen: string | undefined,
  now: Date,
): string | null {
  if (chosen !== undefined) {
    if (!site.departmentChoice || !site.teamIds.includes(chosen)) {
      throw badRequest('Invalid input', [
        { path: 'teamId', message: "Not one of this site's departments" },
      ]);
    }
    return chosen;
  }
  const open = site.teamIds.find((id) => {
    const team = dir.teams.get(id);
    return team !== undefined && (teamHours(team, now)?.open ?? true);
  });
  return open ?? site.teamIds[0] ?? null;
}

export function toSite(dir: Directory, row: siteRows.SiteRow, now: Date): Site {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    isDefault: row.isDefault,
    widget: widgetOf(row),
    teamIds: row.teamIds,
    departmentChoice: row.departmentChoice,
    schedule: row.schedule,
    hours: siteHours(dir, row, now),
    emailSenderName: row.emailSenderName,
    botId: row.botId,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listSites(ctx: Context): Promise<Site[]> {
  const dir = await directory(ctx);
  const now = new Date();
  return dir.sites.map((row) => toSite(dir, row, now));
}
