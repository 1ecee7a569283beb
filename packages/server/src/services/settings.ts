import {
  defaultWidgetSettings,
  type WidgetConfig,
  type WidgetSettings,
  type WidgetSettingsPatch,
} from '@parley/protocol';
import { requireAdmin, type AgentActor } from './actor.js';
import { changedAny, changeOf, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';
import { getFileSettings } from './attachments.js';
import { siteAvailability } from './routing.js';
import { changeSite } from './site-settings.js';
import { directory, siteByKey, siteHours, teamHours, widgetOf } from './sites.js';

// Settings → Widget is the default site's widget (what it was before there were sites); every
// site's is in Settings → Sites (services/sites.ts).

export async function getWidgetSettings(ctx: Context): Promise<WidgetSettings> {
  return widgetOf(await siteByKey(ctx, undefined));
}

export async function patchWidgetSettings(
  ctx: Context,
  actor: AgentActor,
  patch: WidgetSettingsPatch,
  origin: RequestOrigin,
): Promise<WidgetSettings> {
  requireAdmin(actor);
  const site = await siteByKey(ctx, undefined);
  const before = widgetOf(site);
  const after = (await changeSite(ctx, site.id, { widget: patch })).widget;
  const change = changeOf(before, after);
  if (changedAny(change)) {
    await recordAudit(ctx, actor, origin, 'widget_settings.changed', site.id, change);
  }
  return after;
}

/** The default away message, for a Parley that cannot send email: it promises no email. */
export const AWAY_WITHOUT_EMAIL =
  "We're away right now. Leave a message and we'll answer here as soon as we're back.";

/**
 * What a site's widget needs to draw itself, public: no origin list. Without email the default
 * away message would promise what Parley cannot do, so it says where the answer will be instead
 * (a message of the admin's own is theirs to word).
 */
export async function getWidgetConfig(
  ctx: Context,
  siteKey: string | undefined,
): Promise<WidgetConfig> {
  const site = await siteByKey(ctx, siteKey);
  const dir = await directory(ctx);
  const now = new Date();
  const { allowedOrigins: _omitted, ...look } = widgetOf(site);
  const awayMessage =
    !ctx.email && look.awayMessage === defaultWidgetSettings.awayMessage
      ? AWAY_WITHOUT_EMAIL
      : look.awayMessage;
  const departments = site.departmentChoice
    ? site.teamIds.flatMap((id) => {
        const team = dir.teams.get(id);
        return team ? [{ id, name: team.name, hours: teamHours(team, now) }] : [];
      })
    : [];
  return {
    ...look,
    awayMessage,
    agentsOnline: await siteAvailability(ctx, site.id),
    email: ctx.email !== undefined,
    files: await getFileSettings(ctx),
    site: { id: site.id, key: site.key, name: site.name },
    hours: siteHours(dir, site, now),
    departments,
  };
}
