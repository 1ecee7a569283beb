import { randomBytes } from 'node:crypto';
import {
  defaultWidgetSettings,
  type Site,
  type SiteBody,
  type SitePatchBody,
} from '@parley/protocol';
import type { Context } from '../context.js';
import type { Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import * as siteRows from '../db/sites.js';
import * as teamRows from '../db/teams.js';
import { deleteSetting } from '../db/settings.js';
import { findUserById } from '../db/users.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { AgentActor } from './actor.js';
import { changedAny, changeOf, recordAudit, type RequestOrigin } from './audit.js';
import { announceAvailability } from './routing.js';
import { directory, forgetDirectory, siteById, toSite, widgetOf } from './sites.js';

// Settings → Sites: admins add websites and set each one's widget, teams and hours (issue 34).
// What the hot paths read of them is in sites.ts.

const keyTaken = () => conflict('Another site has this key');

/** A key nobody has to choose: short, unguessable enough that sites do not collide. */
const newKey = () => randomBytes(6).toString('hex');

/** A site as the audit log keeps it: without `hours`, which is the time of day, not a setting. */
const recorded = ({ hours: _now, ...site }: Site) => site;

export async function createSite(
  ctx: Context,
  actor: AgentActor,
  body: SiteBody,
  origin: RequestOrigin,
): Promise<Site> {
  const id = await ctx.db.transaction(async (tx) => {
    await checkReferences(tx, body);
    const row = await siteRows.insertSite(tx, {
      key: body.key ?? newKey(),
      name: body.name,
      widget: { ...defaultWidgetSettings, ...body.widget },
      departmentChoice: body.departmentChoice ?? false,
      schedule: body.schedule ?? null,
      emailSenderName: body.emailSenderName ?? null,
      botId: body.botId ?? null,
    });
    if (!row) throw keyTaken();
    if (body.teamIds) await siteRows.setSiteTeams(tx, row.id, body.teamIds);
    return row.id;
  });
  forgetDirectory(ctx);
  await announceAvailability(ctx);
  const site = await getSite(ctx, id);
  await recordAudit(ctx, actor, origin, 'site.created', id, { after: recorded(site) });
  return site;
}

/** An admin changes a site: recorded with what changed, before and after. */
export async function updateSite(
  ctx: Context,
  actor: AgentActor,
  id: string,
  body: SitePatchBody,
  origin: RequestOrigin,
): Promise<Site> {
  const before = await getSite(ctx, id);
  const site = await changeSite(ctx, id, body);
  const change = changeOf(recorded(before), recorded(site));
  if (changedAny(change)) await recordAudit(ctx, actor, origin, 'site.changed', id, change);
  return site;
}

/** Changes a site (Settings → Sites, or the default one's widget in Settings → Widget). */
export async function changeSite(ctx: Context, id: string, body: SitePatchBody): Promise<Site> {
  const before = await siteById(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await checkReferences(tx, body);
    const { teamIds, widget, ...columns } = body;
    const change = {
      ...columns,
      ...(widget ? { widget: { ...widgetOf(before), ...widget } } : {}),
    };
    const found =
      Object.keys(change).length > 0
        ? await siteRows.updateSite(tx, id, change).catch((error: unknown) => {
            throw isUniqueViolation(error) ? keyTaken() : error;
          })
        : await siteRows.siteExists(tx, id);
    if (!found) throw notFound('Site');
    if (teamIds) await siteRows.setSiteTeams(tx, id, teamIds);
  });
  forgetDirectory(ctx);
  await announceAvailability(ctx);
  return getSite(ctx, id);
}

/**
 * A site with no visitors yet (set up by mistake, say) may go. One with history stays: its
 * conversations and reports are the team's record. The default site always stays.
 */
export async function deleteSite(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  const site = await siteById(ctx, id);
  const shown = await getSite(ctx, id);
  if (site.isDefault) throw conflict('The default site cannot be deleted');
  await ctx.db.transaction(async (tx) => {
    if (await siteRows.siteHasVisitors(tx, id)) {
      throw conflict('This site has visitors and their conversations; it cannot be deleted');
    }
    if (!(await siteRows.deleteSite(tx, id))) throw notFound('Site');
    // Its identity secret goes with it (services/identity-settings.ts).
    await deleteSetting(tx, `identity:${id}`);
  });
  forgetDirectory(ctx);
  await recordAudit(ctx, actor, origin, 'site.deleted', id, { before: recorded(shown) });
}

async function getSite(ctx: Context, id: string): Promise<Site> {
  const dir = await directory(ctx);
  const row = dir.sites.find((s) => s.id === id);
  if (!row) throw notFound('Site');
  return toSite(dir, row, new Date());
}

/** Every team named must exist, and a bot must be an active bot. */
async function checkReferences(
  tx: Tx,
  body: { teamIds?: string[]; botId?: string | null },
): Promise<void> {
  if (body.teamIds && body.teamIds.length > 0) {
    const known = new Set((await teamRows.listTeams(tx)).map((t) => t.id));
    const unknown = body.teamIds.findIndex((t) => !known.has(t));
    if (unknown >= 0) {
      throw badRequest('Invalid input', [{ path: `teamIds.${unknown}`, message: 'No such team' }]);
    }
  }
  if (body.botId) {
    const bot = await findUserById(tx, body.botId);
    if (!bot || !bot.active || bot.kind !== 'bot') {
      throw badRequest('Invalid input', [{ path: 'botId', message: 'No active bot has this id' }]);
    }
  }
}
